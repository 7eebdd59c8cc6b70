package io.replaybuffer.marker;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A moment marked in a buffer's footage (V7): it lives as long as that footage does. */
@Entity
@Table(name = "buffer_markers")
public class Marker extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "buffer_id", nullable = false)
    public UUID bufferId;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String label;

    public String kind;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
