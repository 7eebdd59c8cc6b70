package io.replaybuffer.platform.lease;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs a periodic job once per period across all replicas. Every replica schedules it; at each tick a replica takes
 * the job's advisory lock (so two runs never overlap, and a dead holder frees it) and then claims the period in
 * {@code job_runs}: only when the last run on any replica is at least 90% of a period old. The 10% absorbs scheduler
 * jitter, so a replica whose tick comes a few milliseconds early does not skip a whole period.
 */
@ApplicationScoped
public class ClusterJobs {

    private static final String REPLICA = ManagementFactory.getRuntimeMXBean().getName();

    private final AdvisoryLocks locks;
    private final Clock clock;

    ClusterJobs(AdvisoryLocks locks, Clock clock) {
        this.locks = locks;
        this.clock = clock;
    }

    /** Runs {@code job} if it is this replica's turn; true when it ran. A failure of the job itself propagates. */
    public boolean runIfDue(String name, long lockId, Duration period, Runnable job) throws SQLException {
        Optional<AdvisoryLocks.Held> lock = locks.tryAcquire(lockId);
        if (lock.isEmpty()) {
            return false;
        }
        try (AdvisoryLocks.Held held = lock.get()) {
            if (!claim(held, name, period)) {
                return false;
            }
            job.run();
            return true;
        }
    }

    private boolean claim(AdvisoryLocks.Held held, String name, Duration period) throws SQLException {
        Instant now = clock.instant();
        Instant dueSince = now.minus(period.multipliedBy(9).dividedBy(10));
        try (PreparedStatement upsert = held.connection().prepareStatement("""
                INSERT INTO job_runs (name, last_run_at, replica) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET last_run_at = EXCLUDED.last_run_at, replica = EXCLUDED.replica
                WHERE job_runs.last_run_at <= ?""")) {
            upsert.setString(1, name);
            upsert.setTimestamp(2, Timestamp.from(now));
            upsert.setString(3, REPLICA);
            upsert.setTimestamp(4, Timestamp.from(dueSince));
            return upsert.executeUpdate() == 1;
        }
    }
}
