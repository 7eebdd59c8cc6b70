package io.replaybuffer.capture.team;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.replaybuffer.clip.ClipView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A team replay as clients see it (the 202 answer, {@code GET /api/v1/capture-groups/{groupId}} and the
 * {@code capture-group.ready} event): each captured player with their clip, and each skipped player with why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaptureGroupView(
        UUID groupId,
        String roomName,
        CaptureGroup.Status status,
        Instant capturedFrom,
        Instant capturedTo,
        double durationSeconds,
        List<Member> clips,
        List<Skipped> skipped,
        String createdBy,
        Instant createdAt,
        Instant settledAt) {

    /** A captured player and their clip (owned by them). */
    public record Member(String participantIdentity, ClipView clip) {
    }

    /**
     * A player left out: {@code problem} is the problem type a single capture would have answered
     * ({@code quota-exceeded}, {@code nothing-to-capture}, {@code rate-limited}, ...) or {@code no-active-buffer};
     * {@code reason} says it in words.
     */
    public record Skipped(String participantIdentity, String problem, String reason) {
    }
}
