package io.replaybuffer.capture.team;

import io.replaybuffer.segment.Footage;
import io.replaybuffer.segment.SegmentRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * The one wall-clock window every clip of a team replay covers. A range is taken as asked. "The last N seconds"
 * ends where the footage of every buffer reaches: each egress closes its segments on its own cadence, so the
 * buffers' newest footage ends at different instants (up to a segment apart), and the earliest of those ends is the
 * latest instant they all cover. A buffer that lags further behind (stalled, or reconnecting) does not hold the others
 * back: it is left out of that choice, and its clip is cut from the same window like everyone's (truncated, or
 * skipped when it holds none of it).
 */
record TeamWindow(Instant from, Instant to) {

    /**
     * The window for {@code wanted} of footage ending at the common end of {@code footage}; empty when no buffer has
     * any footage yet.
     */
    static Optional<TeamWindow> lastSeconds(Collection<Footage> footage, Duration wanted, Duration lagAllowed) {
        Optional<Instant> latest = footage.stream().flatMap(f -> f.newestRun().stream()).map(SegmentRun::end)
                .max(Instant::compareTo);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Instant keepingUp = latest.get().minus(lagAllowed);
        Instant end = footage.stream().flatMap(f -> f.newestRun().stream()).map(SegmentRun::end)
                .filter(e -> !e.isBefore(keepingUp)).min(Instant::compareTo).orElseThrow();
        return Optional.of(new TeamWindow(end.minus(wanted), end));
    }
}
