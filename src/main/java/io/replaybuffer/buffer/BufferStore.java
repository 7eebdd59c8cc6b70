package io.replaybuffer.buffer;

import io.replaybuffer.egress.EgressUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.segment.SegmentLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Buffer rows and their state changes. Callers hold the transaction; every change goes through {@link #apply} or
 * {@link #finish}, which only move a buffer forward, under a row lock so a webhook and a reconcile pass touching the
 * same buffer take turns. A change the game backend hears of has its outgoing webhook queued in that transaction.
 */
@ApplicationScoped
public class BufferStore {

    /** Every status {@link BufferStatus#live()} accepts, for queries. */
    static final List<BufferStatus> LIVE = java.util.Arrays.stream(BufferStatus.values()).filter(BufferStatus::live).toList();

    /** How a buffer failed by its egress reads, so a retry of that egress can tell it may continue it. */
    private static final String EGRESS_FAILED = "egress ";
    private static final Logger LOG = Logger.getLogger(BufferStore.class);

    private final Clock clock;
    private final BufferAttempts attempts;
    private final BufferEvents events;
    private final Duration resumeWithin;

    BufferStore(Clock clock, BufferAttempts attempts, BufferEvents events, ReplayConfig config) {
        this.clock = clock;
        this.attempts = attempts;
        this.events = events;
        this.resumeWithin = config.stoppedGrace();
    }

    public Optional<ReplayBufferSession> lock(UUID id) {
        return Optional.ofNullable(ReplayBufferSession.findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** The buffer an egress update is about: by egress id, else by the directory it writes into. */
    public Optional<ReplayBufferSession> lockFor(EgressUpdate update) {
        Optional<ReplayBufferSession> byEgress = ReplayBufferSession.<ReplayBufferSession>find("egressId", update.egressId())
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        if (byEgress.isPresent() || update.segmentDir() == null) {
            return byEgress;
        }
        return ReplayBufferSession.<ReplayBufferSession>find("segmentDir", update.segmentDir())
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public List<ReplayBufferSession> liveOf(String userId) {
        return ReplayBufferSession.<ReplayBufferSession>find("userId = ?1 and status in ?2", userId,
                List.of(BufferStatus.STARTING, BufferStatus.ACTIVE)).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    public List<ReplayBufferSession> allLive() {
        return ReplayBufferSession.list("status in ?1", LIVE);
    }

    /** Recording buffers (STARTING or ACTIVE) matching every filter given (null: any), newest first. */
    public List<ReplayBufferSession> recording(String userId, String roomName, String participantIdentity, int limit) {
        StringBuilder query = new StringBuilder("status in :recording");
        io.quarkus.panache.common.Parameters parameters = io.quarkus.panache.common.Parameters.with("recording",
                List.of(BufferStatus.STARTING, BufferStatus.ACTIVE));
        if (userId != null) {
            query.append(" and userId = :user");
            parameters.and("user", userId);
        }
        if (roomName != null) {
            query.append(" and roomName = :room");
            parameters.and("room", roomName);
        }
        if (participantIdentity != null) {
            query.append(" and participantIdentity = :participant");
            parameters.and("participant", participantIdentity);
        }
        return ReplayBufferSession.<ReplayBufferSession>find(query.append(" order by startedAt desc, id").toString(),
                parameters).range(0, limit - 1).list();
    }

    public Optional<ReplayBufferSession> current(String userId) {
        return ReplayBufferSession.<ReplayBufferSession>find("userId = ?1 and status in ?2 order by startedAt desc",
                userId, LIVE).firstResultOptional();
    }

    /**
     * Applies what egress reports: the attempts it names, then its state. An update is about this buffer when it
     * comes from the buffer's egress; the first one to arrive for a buffer whose start call has not answered yet
     * adopts its egress. Any other egress writing into the folder is a duplicate that reconcile stops, unless it is
     * a retry that continues a buffer its failed attempt had ended (see {@link #resumes}). Returns true when the
     * buffer's status changed.
     */
    public boolean apply(ReplayBufferSession session, EgressUpdate update) {
        if (session.egressId == null && !session.status.finished()) {
            session.egressId = update.egressId();
        } else if (resumes(session, update)) {
            LOG.infof("buffer %s: egress %s retries (attempt %d) after %s; recording continues", session.id,
                    update.egressId(), update.retryCount(), session.error);
            session.egressId = update.egressId();
            session.status = BufferStatus.STARTING;
            session.endedAt = null;
            session.error = null;
            session.updatedAt = clock.instant();
            events.changing(session); // buffer.started again: the game backend heard buffer.failed
        } else if (!update.egressId().equals(session.egressId)) {
            return false;
        }
        attempts.record(session, update);
        Optional<BufferStatus> next = BufferTransitions.next(session.status, update.state());
        if (next.isEmpty()) {
            return false;
        }
        if (next.get().finished()) {
            String error = next.get() == BufferStatus.FAILED
                    ? EGRESS_FAILED + update.state().name().toLowerCase() + (update.error() == null ? "" : ": " + update.error())
                    : null;
            finish(session, next.get(), error);
        } else {
            session.status = next.get();
            session.updatedAt = clock.instant();
        }
        return true;
    }

    /**
     * Whether {@link #apply} could change this row: false when the update is about the buffer's own egress, moves it
     * nowhere ({@link BufferTransitions}) and reports no attempt beyond {@code known}. Read on a row taken without a
     * lock, so that a reconcile pass can leave a healthy buffer alone instead of locking and writing it every period;
     * true sends the update through {@link #apply}, which decides again on the locked row.
     */
    boolean couldChange(ReplayBufferSession session, EgressUpdate update, List<SegmentLayout.Attempt> known) {
        return session.egressId == null || !update.egressId().equals(session.egressId)
                || BufferTransitions.next(session.status, update.state()).isPresent()
                || attempts.reportsNew(session, update, known);
    }

    /**
     * An egress retry continues the buffer its failed attempt ended. LiveKit's auto-retry restarts a failed egress
     * with {@code retry_count} raised, under the same egress id (livekit/egress #1138; {@code EgressInfo.retry_count},
     * livekit/protocol {@code livekit_egress.proto}); an orchestrator could also start the retry under a new id, so
     * both are accepted. The buffer must have ended because its egress FAILED (not aborted, not at a limit); the
     * update must be recording, count more retries than any attempt the buffer has seen, and arrive within the
     * stopped grace; and the user must have no other buffer recording now.
     */
    private boolean resumes(ReplayBufferSession session, EgressUpdate update) {
        if (session.status != BufferStatus.FAILED || update.retryCount() <= 0 || !update.state().recording()
                || session.error == null || !session.error.startsWith(EGRESS_FAILED + "failed")
                || session.endedAt.plus(resumeWithin).isBefore(clock.instant())) {
            return false;
        }
        boolean newer = attempts.of(session.id).stream().allMatch(a -> a.retryCount() < update.retryCount());
        return newer && ReplayBufferSession.count("userId = ?1 and status in ?2 and id <> ?3", session.userId,
                List.of(BufferStatus.STARTING, BufferStatus.ACTIVE), session.id) == 0;
    }

    /** Moves a buffer to STOPPING (the client or a replacement asked it to stop). */
    public boolean stopping(ReplayBufferSession session) {
        if (!session.status.recording()) {
            return false;
        }
        session.status = BufferStatus.STOPPING;
        session.updatedAt = clock.instant();
        return true;
    }

    /** Ends a buffer for good: STOPPED, or FAILED with the reason; its webhook is queued in the same transaction. */
    public void finish(ReplayBufferSession session, BufferStatus status, String error) {
        Instant now = clock.instant();
        session.status = status;
        session.endedAt = now;
        session.updatedAt = now;
        session.stalledSince = null;
        session.error = status == BufferStatus.FAILED ? truncate(error == null ? "failed" : error) : null;
        events.changing(session);
    }

    private static String truncate(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
