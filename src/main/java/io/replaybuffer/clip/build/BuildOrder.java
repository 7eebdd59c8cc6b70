package io.replaybuffer.clip.build;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything needed to build a clip, kept as {@code order.json} beside the secured segments so that a build cut
 * short by a crash can be run again from the same footage.
 */
public record BuildOrder(UUID clipId, Instant from, Duration length, List<Segment> segments) {

    /** A secured segment file (name inside the capture folder) and the wall-clock time of its first frame. */
    public record Segment(String file, Instant start) {
    }
}
