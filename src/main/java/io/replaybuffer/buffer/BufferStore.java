package io.replaybuffer.buffer;

import io.replaybuffer.egress.EgressUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Buffer rows and their state changes. Callers hold the transaction; every change goes through {@link #apply} or
 * {@link #finish}, which only move a buffer forward, under a row lock so a webhook and a reconcile pass touching the
 * same buffer take turns.
 */
@ApplicationScoped
public class BufferStore {

    static final List<BufferStatus> LIVE = List.of(BufferStatus.STARTING, BufferStatus.ACTIVE, BufferStatus.STOPPING);

    private final Clock clock;

    BufferStore(Clock clock) {
        this.clock = clock;
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

    public Optional<ReplayBufferSession> current(String userId) {
        return ReplayBufferSession.<ReplayBufferSession>find("userId = ?1 and status in ?2 order by startedAt desc",
                userId, LIVE).firstResultOptional();
    }

    /**
     * Applies what egress reports. An update from a different egress than the buffer's is ignored (a stray duplicate
     * that reconcile will stop); the first one to arrive for a buffer whose start call has not returned yet adopts it.
     * Returns true when the buffer's status changed.
     */
    public boolean apply(ReplayBufferSession session, EgressUpdate update) {
        if (session.egressId == null && !session.status.finished()) {
            session.egressId = update.egressId();
        } else if (!update.egressId().equals(session.egressId)) {
            return false;
        }
        Optional<BufferStatus> next = BufferTransitions.next(session.status, update.state());
        if (next.isEmpty()) {
            return false;
        }
        if (next.get().finished()) {
            String error = next.get() == BufferStatus.FAILED
                    ? "egress " + update.state().name().toLowerCase() + (update.error() == null ? "" : ": " + update.error())
                    : null;
            finish(session, next.get(), error);
        } else {
            session.status = next.get();
            session.updatedAt = clock.instant();
        }
        return true;
    }

    /** Moves a buffer to STOPPING (the client or a replacement asked it to stop). */
    public boolean stopping(ReplayBufferSession session) {
        if (!session.status.live() ) {
            return false;
        }
        session.status = BufferStatus.STOPPING;
        session.updatedAt = clock.instant();
        return true;
    }

    /** Ends a buffer for good: STOPPED, or FAILED with the reason. */
    public void finish(ReplayBufferSession session, BufferStatus status, String error) {
        Instant now = clock.instant();
        session.status = status;
        session.endedAt = now;
        session.updatedAt = now;
        session.stalledSince = null;
        session.error = status == BufferStatus.FAILED ? truncate(error == null ? "failed" : error) : null;
    }

    private static String truncate(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
