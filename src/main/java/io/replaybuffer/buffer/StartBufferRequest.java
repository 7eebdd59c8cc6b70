package io.replaybuffer.buffer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/replay-buffers}: whose tracks to keep, and for how long. */
public record StartBufferRequest(
        @NotBlank @Size(max = 255) String roomName,
        @NotBlank @Size(max = 255) String participantIdentity,
        @NotBlank @Size(max = 255) String videoTrackId,
        @Size(min = 1, max = 255) String audioTrackId,
        @Positive Integer bufferSeconds) {
}
