package io.replaybuffer.segment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Segments that continue each other with no hole: same egress attempt, consecutive numbers, no time jump. */
public record SegmentRun(List<Segment> segments) {

    public SegmentRun {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a run has at least one segment");
        }
        segments = List.copyOf(segments);
    }

    public Instant start() {
        return segments.get(0).start();
    }

    public Instant end() {
        return segments.get(segments.size() - 1).end();
    }

    public Duration duration() {
        return Duration.between(start(), end());
    }
}
