package io.replaybuffer.buffer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.runtime.configuration.DurationConverter;
import io.replaybuffer.egress.EgressGateway;
import io.replaybuffer.egress.EgressUpdate;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.lease.ClusterJobs;
import io.replaybuffer.platform.time.Pace;
import io.replaybuffer.platform.time.Pacing;
import io.replaybuffer.segment.SegmentLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Makes lost webhooks harmless. Every REPLAY_RECONCILE_EVERY it compares the buffers the database holds live with the
 * egresses LiveKit runs, and repairs drift both ways: a buffer whose egress ended or vanished is finished; an egress
 * still running for a buffer that was stopped, for none, or beside the buffer's own egress is stopped; a buffer stuck in STARTING is failed; an
 * ACTIVE buffer with no new segment for a while is marked stalled. Cleanup's orphan pass asks for a pass too.
 * Every replica schedules it, but one pass per period runs across all of them (ClusterJobs): N replicas must not
 * list LiveKit's egresses N times a period, nor repair the same drift N times over.
 */
@ApplicationScoped
public class BufferReconciler {

    private static final Logger LOG = Logger.getLogger(BufferReconciler.class);
    /** A start call that has not produced an egress id by now has died with its replica. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** An active buffer is stalled after this many segment durations with no new segment. */
    static final int STALL_SEGMENTS = 3;
    /** An arbitrary, fixed advisory lock id for "the buffer reconciler" (the sweep's is another). */
    static final long LOCK_ID = 0x5265636f6e63696cL;

    private final BufferStore store;
    private final BufferService buffers;
    private final BufferViews views;
    private final BufferMetrics metrics;
    private final EgressGateway egress;
    private final ReplayConfig config;
    private final Clock clock;
    private final ClusterJobs cluster;
    private final Pacing pacing;
    private final BufferAttempts attempts;

    BufferReconciler(BufferStore store, BufferService buffers, BufferViews views, BufferMetrics metrics,
            EgressGateway egress, ReplayConfig config, Clock clock, ClusterJobs cluster, Pacing pacing,
            BufferAttempts attempts) {
        this.attempts = attempts;
        this.cluster = cluster;
        this.pacing = pacing;
        this.store = store;
        this.buffers = buffers;
        this.views = views;
        this.metrics = metrics;
        this.egress = egress;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "buffer-reconcile", every = "${replay.reconcile.every}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        reconcileIfDue();
    }

    /**
     * A pass, unless one ran on any replica within the last period (or runs now): what the schedule and cleanup
     * call. Counted in {@code replay_buffer_reconcile_runs_total{outcome}} of this replica.
     */
    public void reconcileIfDue() {
        try {
            boolean ran = cluster.runIfDue("buffer-reconcile", LOCK_ID, every(), this::reconcile);
            metrics.reconcileRun(ran ? "success" : "skipped");
        } catch (SQLException | RuntimeException e) {
            metrics.reconcileRun("failed");
            LOG.warnf(e, "reconcile pass failed; the next period retries");
        }
    }

    private Duration every() {
        return DurationConverter.parseDuration(config.reconcile().every());
    }

    /** One pass. With LiveKit unreachable it changes nothing: no news is not bad news. */
    public void reconcile() {
        List<EgressUpdate> running;
        try {
            running = egress.active();
        } catch (RuntimeException e) {
            LOG.warnf("reconcile skipped: cannot list egresses (%s)", e.getMessage());
            return;
        }
        Map<String, EgressUpdate> runningById = running.stream()
                .collect(Collectors.toMap(EgressUpdate::egressId, Function.identity(), (a, b) -> a));
        List<ReplayBufferSession> live = QuarkusTransaction.requiringNew().call(store::allLive);
        // One query for every buffer's attempts instead of one per buffer (and the stall check reads them again).
        Map<UUID, List<SegmentLayout.Attempt>> known = QuarkusTransaction.requiringNew().call(() ->
                attempts.of(live.stream().map(session -> session.id).toList()));
        // Within a third of the period, whatever the fleet's size: it may run inside cleanup's run (CleanupJob).
        try (Pace pace = pacing.start("reconcile", live.size() + running.size(), every().dividedBy(3))) {
            reconcile(live, running, runningById, known, pace);
        }
        metrics.refresh();
    }

    /** Each live buffer, then the egresses none of them claimed; paced between buffers (REPLAY_BACKGROUND_SHARE). */
    private void reconcile(List<ReplayBufferSession> live, List<EgressUpdate> running,
            Map<String, EgressUpdate> runningById, Map<UUID, List<SegmentLayout.Attempt>> known, Pace pace) {
        Set<String> claimed = new HashSet<>();
        for (ReplayBufferSession session : live) {
            pace.step();
            try {
                reconcile(session, runningById, known.getOrDefault(session.id, List.of()));
                if (session.egressId != null) {
                    claimed.add(session.egressId);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "reconciling buffer %s failed; next pass retries", session.id);
            }
        }
        // At most one egress per buffer: anything else running into our volume is offered to its folder's buffer
        // (a start whose answer was lost, or a retry continuing a failed attempt) and stopped when none takes it.
        for (EgressUpdate other : running) {
            pace.step();
            if (claimed.contains(other.egressId())) {
                continue;
            }
            try {
                if (buffers.apply(other.from(EgressUpdate.Source.RECONCILE))) {
                    metrics.corrected("egress_adopted");
                    continue;
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "offering egress %s to its buffer failed", other.egressId());
            }
            LOG.warnf("egress %s writes into %s but is not that buffer's egress: stopping it", other.egressId(),
                    other.segmentDir());
            stopQuietly(other.egressId());
            metrics.corrected("stray_egress_stopped");
        }
    }

    private void reconcile(ReplayBufferSession session, Map<String, EgressUpdate> running,
            List<SegmentLayout.Attempt> known) {
        Instant now = clock.instant();
        if (session.egressId == null) {
            if (session.startedAt.plus(START_TIMEOUT).isBefore(now)) {
                buffers.fail(session.id, "egress start did not complete");
                metrics.corrected("start_timeout");
            }
            return;
        }
        EgressUpdate seen = running.get(session.egressId);
        if (seen != null) {
            if (session.status == BufferStatus.STOPPING) {
                stopQuietly(session.egressId); // the stop request was lost or LiveKit was down: ask again
                metrics.corrected("stop_retried");
            } else {
                if (store.couldChange(session, seen, known)) { // a healthy buffer is left alone: no lock, no write
                    applyAndCount(session, seen, "missed_update");
                }
                detectStall(session, now);
            }
            return;
        }
        Optional<EgressUpdate> last = egress.find(session.egressId);
        if (last.isPresent() && last.get().state().ended()) {
            applyAndCount(session, last.get(), "missed_end");
        } else if (last.isEmpty()) {
            if (session.status == BufferStatus.STOPPING) {
                buffers.stopEgressOf(session);
            } else {
                buffers.fail(session.id, "egress " + session.egressId + " no longer exists");
            }
            metrics.corrected("egress_gone");
        }
    }

    private void applyAndCount(ReplayBufferSession session, EgressUpdate update, String kind) {
        BufferStatus before = session.status;
        BufferStatus after = buffers.applyTo(update.from(EgressUpdate.Source.RECONCILE)).map(s -> s.status)
                .orElse(before);
        if (after != before) {
            LOG.infof("reconcile: buffer %s %s → %s (%s)", session.id, before, after, kind);
            metrics.corrected(kind);
        }
    }

    /**
     * Marks (or clears) an ACTIVE buffer whose newest segment is older than a few segment durations. The row is
     * locked and written only when that seems to change, and decided again on the locked row: a pass over a
     * thousand healthy buffers writes nothing (it used to lock and write each one, every pass).
     */
    private void detectStall(ReplayBufferSession session, Instant now) {
        Optional<Instant> newestSegment = views.footage(session).newestAt();
        Instant newest = newestSegment.orElse(session.startedAt);
        boolean quiet = newest.plusSeconds((long) STALL_SEGMENTS * config.segmentDurationSeconds()).isBefore(now);
        if (quiet == (session.stalledSince != null)) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> store.lock(session.id).ifPresent(s -> {
            // Decided on the locked row: the update just applied may have changed the status.
            boolean stalled = quiet && s.status == BufferStatus.ACTIVE;
            if (stalled && s.stalledSince == null) {
                s.stalledSince = now;
                newestSegment.ifPresent(at -> s.lastSegmentAt = at);
                LOG.warnf("buffer %s has written no segment since %s", s.id, newest);
                metrics.corrected("stall_marked");
            } else if (!stalled && s.stalledSince != null) {
                s.stalledSince = null;
            }
        }));
    }

    private void stopQuietly(String egressId) {
        try {
            egress.stop(egressId).ifPresent(buffers::onEgressUpdate);
        } catch (RuntimeException e) {
            LOG.warnf("stopping egress %s failed (%s); next pass retries", egressId, e.getMessage());
        }
    }
}
