package io.replaybuffer.cleanup;

import java.time.Duration;

/** What the sweep does with one buffer directory. */
public sealed interface SweepDecision {

    /** A buffer still capturable: keep {@code window} of footage (its length plus one segment). */
    record KeepWindow(Duration window) implements SweepDecision {
    }

    /** A buffer stopped or failed longer ago than the grace period: the whole directory goes. */
    record DeleteAll() implements SweepDecision {
    }

    /** No buffer row at all: the directory goes once it has been untouched for {@code grace}. */
    record Orphan(Duration grace) implements SweepDecision {
    }
}
