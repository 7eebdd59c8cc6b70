package io.replaybuffer.buffer;

import java.time.Instant;
import java.util.UUID;

/** A replay buffer as clients see it, with what is capturable right now. */
public record BufferView(
        UUID id,
        BufferStatus status,
        String roomName,
        String participantIdentity,
        String videoTrackId,
        String audioTrackId,
        String egressId,
        int bufferSeconds,
        double availableSeconds,
        Instant oldestAt,
        Instant newestAt,
        Instant startedAt,
        Instant endedAt,
        boolean stalled,
        String error,
        String previewUrl) {
}
