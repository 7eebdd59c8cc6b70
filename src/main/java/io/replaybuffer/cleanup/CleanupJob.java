package io.replaybuffer.cleanup;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import io.replaybuffer.buffer.BufferAttempts;
import io.replaybuffer.buffer.BufferReconciler;
import io.replaybuffer.buffer.BufferStatus;
import io.replaybuffer.buffer.ReplayBufferSession;
import io.replaybuffer.clip.ClipMetrics;
import io.replaybuffer.clip.build.ClipRecovery;
import io.replaybuffer.marker.MarkerService;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.storage.StorageRoots;
import io.replaybuffer.platform.time.Pace;
import io.replaybuffer.platform.time.Pacing;
import io.replaybuffer.segment.Footage;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.segment.SegmentLayout;
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
 * to every buffer's window (and deletes the markers of the footage it let go), removes what stopped buffers and
 * crashes left behind, has the reconciler settle orphaned sessions and clip recovery finish interrupted builds, then
 * lets the disk guard act if the volume is still too full.
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
    private final BufferAttempts bufferAttempts;
    private final MarkerService markers;
    private final Pacing pacing;

    CleanupJob(SweepLease lease, SegmentIndex index, StorageRoots roots, Leftovers leftovers,
            BufferReconciler reconciler, ClipRecovery recovery, DiskGuard guard, CleanupMetrics metrics,
            ClipMetrics clipMetrics, ClipAudit audit, ReplayConfig config, Clock clock, BufferAttempts bufferAttempts,
            MarkerService markers, Pacing pacing) {
        this.pacing = pacing;
        this.markers = markers;
        this.bufferAttempts = bufferAttempts;
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

    @Scheduled(identity = "segment-sweep", every = "${replay.cleanup.every}", delayed = "${replay.cleanup.first-after}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run();
    }

    public Report run() {
        long started = System.nanoTime();
        try (io.replaybuffer.platform.lease.AdvisoryLocks.Held held = lease.tryAcquire().orElse(null)) {
            if (held == null) {
                metrics.contended();
                LOG.debug("sweep skipped: another replica holds the lease");
                return new Report(true, null, 0, 0);
            }
            Instant now = clock.instant();
            Map<String, Recent> buffers = recentBuffers(now);
            // Each step on its own: one that fails is counted and logged, and the others (the disk guard above all)
            // still run. A failed step fails the run's outcome so alerts fire.
            Steps steps = new Steps();
            SweepOutcome outcome = steps.run("sweep", () -> {
                // A third of the period: the run's other steps and the reconcile in it get the rest.
                try (Pace pace = pacing.start("sweep", buffers.size(), every().dividedBy(3))) {
                    return new SegmentSweep(roots.segments(), index, pace).sweep(dir -> decide(buffers.get(dir), now),
                            now);
                }
            });
            Integer removed = steps.run("leftovers", () -> leftovers.remove(now));
            steps.run("markers", () -> markers.sweep(now)); // the markers of footage the sweep just let go
            steps.run("reconcile", () -> {
                // Orphaned sessions: the reconciler's rules, not a second copy of them; at most once per reconcile
                // period across replicas, counting the reconciler's own schedule.
                reconciler.reconcileIfDue();
                return null;
            });
            steps.run("recovery", () -> {
                recovery.recover(clock.instant()); // never waits: a full build queue leaves the rest for next time
                return null;
            });
            steps.run("storage_gauge", () -> {
                clipMetrics.refreshStorage();
                return null;
            });
            steps.run("audit", () -> {
                audit.runIfDue(now);
                return null;
            });
            Integer trims = steps.run("disk_guard", () -> {
                metrics.diskUsed(guard.used());
                // Unpaced, and the candidates are read only when the volume is past its high water: then it is
                // filling, and freeing it comes before the requests' latency.
                return guard.enforce(new SegmentSweep(roots.segments(), index), () -> candidates(buffers), guard::used,
                        now, metrics);
            });
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (outcome != null) {
                metrics.swept(outcome, took, clock.instant());
                LOG.infof("sweep: deleted %d files (%d MB) and %d directories, kept %d MB, skipped %d folders;"
                        + " %d leftovers; %d guard trims; %d ms", outcome.filesDeleted(), outcome.bytesDeleted() >> 20,
                        outcome.directoriesDeleted(), outcome.bytesKept() >> 20, outcome.foldersFailed(),
                        removed == null ? 0 : removed, trims == null ? 0 : trims, took.toMillis());
            }
            if (steps.failed > 0) {
                metrics.failed();
            }
            return new Report(false, outcome, removed == null ? 0 : removed, trims == null ? 0 : trims);
        } catch (java.sql.SQLException | RuntimeException e) {
            metrics.failed(); // the lease itself: no step ran, or releasing it failed
            LOG.error("sweep lease failed; the next run retries", e);
            throw new IllegalStateException("sweep lease failed", e);
        }
    }

    private Duration every() {
        return DurationConverter.parseDuration(config.cleanup().every());
    }

    /** Runs cleanup's steps so that one failing never stops the next. */
    private final class Steps {
        int failed;

        <T> T run(String step, java.util.concurrent.Callable<T> body) {
            try {
                return body.call();
            } catch (Exception e) {
                failed++;
                metrics.problem("step_failed_" + step);
                LOG.errorf(e, "cleanup step %s failed; the other steps go on and the next run retries", step);
                return null;
            }
        }
    }

    /** A buffer the sweep knows: its row and the egress attempts reported for it. */
    private record Recent(ReplayBufferSession buffer, List<SegmentLayout.Attempt> attempts) {
    }

    /** Live buffers and those stopped within twice the grace; anything older or unknown counts as an orphan. */
    private Map<String, Recent> recentBuffers(Instant now) {
        Instant since = now.minus(config.stoppedGrace().multipliedBy(2));
        List<ReplayBufferSession> rows = QuarkusTransaction.requiringNew().call(() -> ReplayBufferSession.list(
                "status in ?1 or endedAt > ?2", List.of(BufferStatus.STARTING, BufferStatus.ACTIVE, BufferStatus.STOPPING),
                since));
        Map<java.util.UUID, List<SegmentLayout.Attempt>> attempts = QuarkusTransaction.requiringNew().call(() ->
                bufferAttempts.of(rows.stream().map(row -> row.id).toList()));
        Map<String, Recent> byDir = new HashMap<>(rows.size() * 2);
        rows.forEach(row -> byDir.put(row.segmentDir, new Recent(row, attempts.getOrDefault(row.id, List.of()))));
        return byDir;
    }

    private SweepDecision decide(Recent recent, Instant now) {
        if (recent == null) {
            return new SweepDecision.Orphan(config.stoppedGrace());
        }
        ReplayBufferSession buffer = recent.buffer();
        if (buffer.endedAt != null && buffer.endedAt.plus(config.stoppedGrace()).isBefore(now)) {
            return new SweepDecision.DeleteAll();
        }
        // The window plus one segment: the segment straddling the window's start is still partly capturable.
        return new SweepDecision.KeepWindow(Duration.ofSeconds(buffer.bufferSeconds + config.segmentDurationSeconds()),
                recent.attempts());
    }

    private List<DiskGuard.Candidate> candidates(Map<String, Recent> buffers) {
        return buffers.values().stream()
                .filter(recent -> recent.buffer().status.recording())
                .map(recent -> {
                    ReplayBufferSession b = recent.buffer();
                    Footage footage = index.footage(b.segmentDir, recent.attempts(), Duration.ofSeconds(b.bufferSeconds));
                    return new DiskGuard.Candidate(b.segmentDir, recent.attempts(), footage.oldestAt().orElse(Instant.MAX));
                })
                .toList();
    }
}
