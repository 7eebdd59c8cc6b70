package io.replaybuffer.segment;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** One complete MPEG-TS segment on disk, which egress attempt wrote it, and its wall-clock span. */
public record Segment(Path file, SegmentLayout.Attempt attempt, long sequence, Instant start, double durationSeconds) {

    public Instant end() {
        return start.plus(duration());
    }

    public Duration duration() {
        return Duration.ofNanos(Math.round(durationSeconds * 1e9));
    }

    public String fileName() {
        return file.getFileName().toString();
    }
}
