package io.replaybuffer.clip;

import java.time.Instant;
import java.util.List;

/** Where a post-roll capture's window ended up once its footage came (or stopped coming). */
public record ClosedWindow(Instant from, Instant to, boolean truncated, String truncatedReason,
        List<ClipMarker> markers) {
}
