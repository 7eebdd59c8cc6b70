package io.replaybuffer.cleanup;

import io.replaybuffer.segment.SegmentLayout;
import java.time.Duration;
import java.util.List;

/** What the sweep does with one buffer directory. */
public sealed interface SweepDecision {

    /**
     * A buffer still capturable: keep {@code window} of footage (its length plus one segment) of each of the egress
     * attempts egress reported ({@code attempts}; empty when every report was lost, and the index then searches).
     */
    record KeepWindow(Duration window, List<SegmentLayout.Attempt> attempts) implements SweepDecision {
    }

    /** A buffer stopped or failed longer ago than the grace period: the whole directory goes. */
    record DeleteAll() implements SweepDecision {
    }

    /** No buffer row at all: the directory goes once it has been untouched for {@code grace}. */
    record Orphan(Duration grace) implements SweepDecision {
    }
}
