package io.replaybuffer.buffer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** One player's rolling recording: which tracks, which egress, where its segments land, and its state. */
@Entity
@Table(name = "replay_buffer_sessions")
public class ReplayBufferSession extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "room_name", nullable = false)
    public String roomName;

    @Column(name = "participant_identity", nullable = false)
    public String participantIdentity;

    @Column(name = "video_track_id", nullable = false)
    public String videoTrackId;

    @Column(name = "audio_track_id")
    public String audioTrackId;

    @Column(name = "egress_id", unique = true)
    public String egressId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public BufferStatus status;

    /** Directory name under the segments root. */
    @Column(name = "segment_dir", nullable = false, unique = true)
    public String segmentDir;

    @Column(name = "buffer_seconds", nullable = false)
    public int bufferSeconds;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    /**
     * The newest segment when the buffer was last found stalled: what the markers of a buffer that records no more
     * are kept back from (MarkerService.sweep). Not kept current while the buffer records; the volume says that.
     */
    @Column(name = "last_segment_at")
    public Instant lastSegmentAt;

    /** Set while the buffer is live but no new segment has landed for several segment durations. */
    @Column(name = "stalled_since")
    public Instant stalledSince;

    public String error;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
