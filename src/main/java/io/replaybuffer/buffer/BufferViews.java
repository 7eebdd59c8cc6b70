package io.replaybuffer.buffer;

import io.replaybuffer.segment.Footage;
import io.replaybuffer.segment.SegmentIndex;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Turns a buffer row into what clients see, with its capturable footage read from the segment index. */
@ApplicationScoped
public class BufferViews {

    private final SegmentIndex index;
    private final BufferAttempts attempts;

    BufferViews(SegmentIndex index, BufferAttempts attempts) {
        this.index = index;
        this.attempts = attempts;
    }

    /** What the buffer's folder holds within its window, read through the attempts egress reported. */
    public Footage footage(ReplayBufferSession session) {
        return index.footage(session.segmentDir, attempts.of(session.id), Duration.ofSeconds(session.bufferSeconds));
    }

    public BufferView of(ReplayBufferSession s) {
        Footage footage = footage(s);
        return new BufferView(s.id, s.status, s.roomName, s.participantIdentity, s.videoTrackId, s.audioTrackId,
                s.egressId, s.bufferSeconds, footage.availableSeconds(), footage.oldestAt().orElse(null),
                footage.newestAt().orElse(null), s.startedAt, s.endedAt, s.stalledSince != null, s.error,
                "/api/v1/replay-buffers/" + s.id + "/preview.m3u8");
    }
}
