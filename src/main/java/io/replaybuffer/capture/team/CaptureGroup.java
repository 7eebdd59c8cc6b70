package io.replaybuffer.capture.team;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A team replay: one window captured from several players' buffers. Read-only as an entity: its state changes only
 * through {@link CaptureGroupStore}'s conditional UPDATEs, so settling happens exactly once.
 */
@Entity
@Table(name = "capture_groups")
public class CaptureGroup extends PanacheEntityBase {

    /** PROCESSING until every clip is READY or FAILED; then READY (all), PARTIAL (some) or FAILED (none READY). */
    public enum Status {
        PROCESSING, READY, PARTIAL, FAILED
    }

    @Id
    public UUID id;

    @Column(name = "room_name", nullable = false, updatable = false)
    public String roomName;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "captured_from", nullable = false, updatable = false)
    public Instant capturedFrom;

    @Column(name = "captured_to", nullable = false, updatable = false)
    public Instant capturedTo;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, insertable = false, updatable = false)
    public Status status;

    @Column(nullable = false, insertable = false, updatable = false)
    public boolean sealed;

    /** JSON array of the skipped players. */
    @Column(nullable = false, insertable = false, updatable = false)
    public String skipped;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "settled_at", insertable = false, updatable = false)
    public Instant settledAt;
}
