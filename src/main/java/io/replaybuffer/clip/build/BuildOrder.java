package io.replaybuffer.clip.build;

import io.replaybuffer.clip.ClipMarker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything needed to build a clip, kept as {@code order.json} beside the secured segments so that a build cut
 * short by a crash can be run again from the same footage (and the same markers, which the sweep may have taken
 * from the buffer by then). An order written before markers existed reads with none.
 */
public record BuildOrder(UUID clipId, Instant from, Duration length, List<Segment> segments, List<ClipMarker> markers) {

    public BuildOrder {
        markers = markers == null ? List.of() : List.copyOf(markers);
    }

    public BuildOrder(UUID clipId, Instant from, Duration length, List<Segment> segments) {
        this(clipId, from, length, segments, List.of());
    }

    /** A secured segment file (name inside the capture folder) and the wall-clock time of its first frame. */
    public record Segment(String file, Instant start) {
    }
}
