package io.replaybuffer.segment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a buffer has on disk now, within its window: complete segments in time order, split into continuous runs.
 * {@code available} is the capturable length of the newest run (what "capture the last N seconds" can get).
 */
public record Footage(List<Segment> segments, List<SegmentRun> runs, Duration available) {

    public static final Footage NONE = new Footage(List.of(), List.of(), Duration.ZERO);

    public Optional<Instant> oldestAt() {
        return segments.isEmpty() ? Optional.empty() : Optional.of(segments.get(0).start());
    }

    public Optional<Instant> newestAt() {
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1).end());
    }

    public Optional<SegmentRun> newestRun() {
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
    }

    public double availableSeconds() {
        return available.toMillis() / 1000.0;
    }
}
