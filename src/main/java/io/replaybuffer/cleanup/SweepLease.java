package io.replaybuffer.cleanup;

import io.replaybuffer.platform.lease.AdvisoryLocks;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Makes exactly one replica sweep at a time: the sweep's advisory lock, held for the length of the sweep. Released
 * when the sweep ends; if the holder dies PostgreSQL releases it, so the next sweep on any replica finishes the job.
 */
@ApplicationScoped
public class SweepLease {

    /** An arbitrary, fixed lock id for "the segment sweep". */
    static final long LOCK_ID = 0x5265706c61794275L;

    private final AdvisoryLocks locks;

    SweepLease(AdvisoryLocks locks) {
        this.locks = locks;
    }

    /** The lease, or empty when another sweep holds it. */
    public Optional<AdvisoryLocks.Held> tryAcquire() throws SQLException {
        return locks.tryAcquire(LOCK_ID);
    }
}
