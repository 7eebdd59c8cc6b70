package io.replaybuffer.clip;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A saved replay: the window it covers, the MP4 built from it, and its place in the owner's quota. */
@Entity
@Table(name = "clips")
public class Clip extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    /** The buffer it was captured from; kept as a plain id so clips outlive their buffer rows. */
    @Column(name = "session_id")
    public UUID sessionId;

    @Column(nullable = false)
    public String title;

    /** Who asked for it: the owner, or the game server or admin that captured it for them. */
    @Column(name = "created_by", nullable = false)
    public String createdBy;

    /** The team replay it is part of, if any. */
    @Column(name = "group_id")
    public UUID groupId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Visibility visibility = Visibility.PRIVATE;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ClipStatus status;

    @Column(name = "requested_seconds", nullable = false)
    public double requestedSeconds;

    @Column(name = "duration_seconds")
    public Double durationSeconds;

    @Column(name = "captured_from", nullable = false)
    public Instant capturedFrom;

    @Column(name = "captured_to", nullable = false)
    public Instant capturedTo;

    @Column(nullable = false)
    public boolean truncated;

    public Integer width;

    public Integer height;

    @Column(name = "video_codec")
    public String videoCodec;

    @Column(name = "audio_codec")
    public String audioCodec;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    @Column(name = "reserved_bytes", nullable = false)
    public long reservedBytes;

    @OneToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "file_id")
    public StoredFile file;

    @OneToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "thumbnail_file_id")
    public StoredFile thumbnail;

    public String error;

    /** While a post-roll capture waits for footage still to be recorded: the end of its window (V7). */
    @Column(name = "waiting_until")
    public Instant waitingUntil;

    /** Why the clip got less than asked, beyond "the footage was shorter" (the buffer stopped during the post-roll). */
    @Column(name = "truncated_reason")
    public String truncatedReason;

    /** The buffer's markers inside the clip, copied when its window closed (they are its MP4 chapters too). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<ClipMarker> markers = new ArrayList<>();

    /**
     * Share links carry the generation they were signed for; revoking links (or making the clip PRIVATE) moves it
     * on, and every older link stops working.
     */
    @Column(name = "link_generation", nullable = false)
    public int linkGeneration;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /**
     * The build attempt holding this PROCESSING clip, and until when (V3). Read-only here: only the conditional
     * UPDATEs of {@link ClipLeases} and {@link ClipOutcomes} write them, so an entity flushed elsewhere can never hand
     * a lease back or over.
     */
    @Column(name = "build_owner", insertable = false, updatable = false)
    public UUID buildOwner;

    @Column(name = "build_lease_until", insertable = false, updatable = false)
    public Instant buildLeaseUntil;

    /** When the audit first found this READY clip's file absent; read-only here like the lease. */
    @Column(name = "missing_since", insertable = false, updatable = false)
    public Instant missingSince;
}
