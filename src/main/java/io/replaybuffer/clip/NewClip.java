package io.replaybuffer.clip;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What a capture decided, for the row {@link ClipStore#createProcessing} creates before any footage is secured. */
public record NewClip(UUID id, String userId, UUID bufferId, String title, Instant from, Instant to,
        double requestedSeconds, boolean truncated, long reservedBytes, String createdBy, UUID groupId,
        String truncatedReason, Instant waitingUntil, List<ClipMarker> markers) {

    /** A player's own capture of footage already recorded, in no group, without markers. */
    public NewClip(UUID id, String userId, UUID bufferId, String title, Instant from, Instant to,
            double requestedSeconds, boolean truncated, long reservedBytes) {
        this(id, userId, bufferId, title, from, to, requestedSeconds, truncated, reservedBytes, userId, null,
                null, null, List.of());
    }
}
