package io.replaybuffer.cleanup;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.replaybuffer.buffer.BufferReconciler;
import io.replaybuffer.buffer.BufferStatus;
import io.replaybuffer.buffer.ReplayBufferSession;
import io.replaybuffer.clip.ClipMetrics;
import io.replaybuffer.clip.build.ClipRecovery;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.storage.StorageRoots;
import io.replaybuffer.segment.Footage;
import io.replaybuffer.segment.SegmentIndex;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The scheduled cleanup, every REPLAY_CLEANUP_EVERY on whichever replica holds the lease: sweeps the segments volume
 * to every buffer's window, removes what stopped buffers and crashes left behind, has the reconciler settle orphaned
 * sessions and clip recovery finish interrupted builds, then lets the disk guard act if the volume is still too full.
 */
@ApplicationScoped
public class CleanupJob {

    private static final Logger LOG = Logger.getLogger(CleanupJob.class);

    /** What a run did; {@code skipped} when another replica held the lease. */
    public record Report(boolean skipped, SweepOutcome sweep, int leftoversRemoved, int guardTrims) {
    }

    private final SweepLease lease;
    private final SegmentIndex index;
    private final StorageRoots roots;
    private final Leftovers leftovers;
    private final BufferReconciler reconciler;
    private final ClipRecovery recovery;
    private final DiskGuard guard;
    private final CleanupMetrics metrics;
    private final ClipMetrics clipMetrics;
    private final ClipAudit audit;
    private final ReplayConfig config;
    private final Clock clock;

    CleanupJob(SweepLease lease, SegmentIndex index, StorageRoots roots, Leftovers leftovers,
            BufferReconciler reconciler, ClipRecovery recovery, DiskGuard guard, CleanupMetrics metrics,
            ClipMetrics clipMetrics, ClipAudit audit, ReplayConfig config, Clock clock) {
        this.clipMetrics = clipMetrics;
        this.audit = audit;
        this.lease = lease;
        this.index = index;
        this.roots = roots;
        this.leftovers = leftovers;
        this.reconciler = reconciler;
        this.recovery = recovery;
        this.guard = guard;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "segment-sweep", every = "${replay.cleanup.every}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run();
    }

    public Report run() {
        long started = System.nanoTime();
        try (SweepLease.Held held = lease.tryAcquire().orElse(null)) {
            if (held == null) {
                metrics.contended();
                LOG.debug("sweep skipped: another replica holds the lease");
                return new Report(true, null, 0, 0);
            }
            Instant now = clock.instant();
            SegmentSweep sweep = new SegmentSweep(roots.segments(), index);
            Map<String, ReplayBufferSession> buffers = recentBuffers(now);
            SweepOutcome outcome = sweep.sweep(dir -> decide(buffers.get(dir), now), now);
            int removed = leftovers.remove(now);
            reconciler.reconcile(); // orphaned sessions: the reconciler's rules, not a second copy of them
            recovery.recover(ClipRecovery.ABANDONED_AFTER);
            clipMetrics.refreshStorage();
            audit.runIfDue(now);
            double used = guard.used();
            metrics.diskUsed(used);
            int trims = guard.enforce(sweep, candidates(buffers), guard::used, now, metrics);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.swept(outcome, took, clock.instant());
            LOG.infof("sweep: deleted %d files (%d MB) and %d directories, kept %d MB; %d leftovers; %d guard trims;"
                    + " %d ms", outcome.filesDeleted(), outcome.bytesDeleted() >> 20, outcome.directoriesDeleted(),
                    outcome.bytesKept() >> 20, removed, trims, took.toMillis());
            return new Report(false, outcome, removed, trims);
        } catch (Exception e) {
            metrics.failed();
            LOG.error("sweep failed; the next one retries", e);
            throw new IllegalStateException("sweep failed", e);
        }
    }

    /** Live buffers and those stopped within twice the grace; anything older or unknown counts as an orphan. */
    private Map<String, ReplayBufferSession> recentBuffers(Instant now) {
        Instant since = now.minus(config.stoppedGrace().multipliedBy(2));
        List<ReplayBufferSession> rows = QuarkusTransaction.requiringNew().call(() -> ReplayBufferSession.list(
                "status in ?1 or endedAt > ?2", List.of(BufferStatus.STARTING, BufferStatus.ACTIVE, BufferStatus.STOPPING),
                since));
        Map<String, ReplayBufferSession> byDir = new HashMap<>(rows.size() * 2);
        rows.forEach(row -> byDir.put(row.segmentDir, row));
        return byDir;
    }

    private SweepDecision decide(ReplayBufferSession buffer, Instant now) {
        if (buffer == null) {
            return new SweepDecision.Orphan(config.stoppedGrace());
        }
        if (buffer.endedAt != null && buffer.endedAt.plus(config.stoppedGrace()).isBefore(now)) {
            return new SweepDecision.DeleteAll();
        }
        // The window plus one segment: the segment straddling the window's start is still partly capturable.
        return new SweepDecision.KeepWindow(Duration.ofSeconds(buffer.bufferSeconds + config.segmentDurationSeconds()));
    }

    private List<DiskGuard.Candidate> candidates(Map<String, ReplayBufferSession> buffers) {
        return buffers.values().stream()
                .filter(b -> b.status.live())
                .map(b -> {
                    Footage footage = index.footage(b.segmentDir, Duration.ofSeconds(b.bufferSeconds));
                    return new DiskGuard.Candidate(b.segmentDir, footage.oldestAt().orElse(Instant.MAX));
                })
                .toList();
    }
}
