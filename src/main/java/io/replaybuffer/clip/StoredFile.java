package io.replaybuffer.clip;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A file in permanent clip storage, addressed by a path relative to the clips root. */
@Entity
@Table(name = "stored_files")
public class StoredFile extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "relative_path", nullable = false, unique = true)
    public String relativePath;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    /** Hex SHA-256 of the content; also the download's strong ETag. */
    public String sha256;

    @Column(name = "content_type", nullable = false)
    public String contentType;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
