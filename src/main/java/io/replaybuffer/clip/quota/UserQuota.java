package io.replaybuffer.clip.quota;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user's storage account. Null limits mean "the configured default". */
@Entity
@Table(name = "user_quotas")
public class UserQuota extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public String userId;

    @Column(name = "limit_bytes")
    public Long limitBytes;

    @Column(name = "limit_clips")
    public Integer limitClips;

    /** Bytes of READY clips plus bytes reserved by clips being built. */
    @Column(name = "used_bytes", nullable = false)
    public long usedBytes;

    @Column(name = "used_clips", nullable = false)
    public int usedClips;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
