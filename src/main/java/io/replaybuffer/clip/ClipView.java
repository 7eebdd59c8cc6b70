package io.replaybuffer.clip;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.replaybuffer.platform.http.SharedJson;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A clip as clients see it. {@code detail} explains a truncated capture; {@code createdBy} is whoever asked for it
 * (the owner, or the game server that captured it for them) and {@code groupId} its team replay, if any;
 * {@code waitingUntil} is set while a post-roll capture waits for footage still to be recorded; {@code markers} are the
 * buffer's markers inside the clip.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClipView(
        UUID id,
        ClipStatus status,
        String title,
        Visibility visibility,
        double durationSeconds,
        double requestedSeconds,
        boolean truncated,
        String detail,
        Long sizeBytes,
        Integer width,
        Integer height,
        String videoCodec,
        String audioCodec,
        Instant capturedFrom,
        Instant capturedTo,
        Instant createdAt,
        UUID bufferId,
        String ownerId,
        String downloadUrl,
        String thumbnailUrl,
        String error,
        String createdBy,
        UUID groupId,
        Instant waitingUntil,
        List<ClipMarker> markers) implements SharedJson {

    static ClipView of(Clip clip) {
        double duration = clip.durationSeconds != null ? clip.durationSeconds
                : java.time.Duration.between(clip.capturedFrom, clip.capturedTo).toMillis() / 1000.0;
        String detail = clip.truncated ? String.format(java.util.Locale.ROOT,
                "Only %.1f s of continuous footage was available of the %.1f s asked for", duration,
                clip.requestedSeconds) + (clip.truncatedReason != null ? ": " + clip.truncatedReason : "") : null;
        String base = "/api/v1/clips/" + clip.id;
        return new ClipView(clip.id, clip.status, clip.title, clip.visibility, duration, clip.requestedSeconds,
                clip.truncated, detail, clip.sizeBytes, clip.width, clip.height, clip.videoCodec, clip.audioCodec,
                clip.capturedFrom, clip.capturedTo, clip.createdAt, clip.sessionId, clip.userId,
                clip.status == ClipStatus.READY ? base + "/download" : null,
                clip.thumbnail != null ? base + "/thumbnail.jpg" : null, clip.error, clip.createdBy, clip.groupId,
                clip.waitingUntil, clip.markers == null ? List.of() : List.copyOf(clip.markers));
    }
}
