package io.replaybuffer.platform.webhook;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/**
 * The delivery rows, as one queue per endpoint. A dispatcher claims one due row at a time with {@code FOR UPDATE SKIP
 * LOCKED} (two replicas never take the same row) and moves its due time to the end of a lease (a dead dispatcher's
 * row comes back by itself); only the claim's holder may record how the attempt went. Every step is one short
 * transaction, never open during an HTTP call.
 */
@ApplicationScoped
public class DeliveryQueue {

    /** A claimed delivery: what to send, and which attempt this is. */
    record Claimed(long id, UUID claim, int attempt, String eventId, String type, String body, Instant eventAt,
            Instant giveUpAt) {
    }

    /** How a claimed attempt ended, as stored. */
    enum Verdict {
        DELIVERED, RETRY, FAILED
    }

    private final EntityManager em;

    DeliveryQueue(EntityManager em) {
        this.em = em;
    }

    /** Claims the endpoint's oldest due delivery until {@code leaseUntil} and records the attempt as started. */
    Optional<Claimed> claim(String endpoint, Instant now, Instant leaseUntil) {
        UUID claim = UUID.randomUUID();
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                WITH claimed AS (
                    UPDATE webhook_deliveries SET claim = :claim, next_attempt_at = :lease, attempts = attempts + 1
                    WHERE id = (SELECT id FROM webhook_deliveries
                                WHERE status = 'PENDING' AND endpoint = :endpoint AND next_attempt_at <= :now
                                ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id, event_id, attempts, created_at, give_up_at),
                started AS (
                    INSERT INTO webhook_attempts (delivery_id, number, started_at)
                    SELECT id, attempts, :now FROM claimed)
                SELECT c.id, c.attempts, e.id, e.type, e.body, c.created_at, c.give_up_at
                FROM claimed c JOIN webhook_events e ON e.id = c.event_id""")
                .setParameter("claim", claim).setParameter("lease", leaseUntil).setParameter("endpoint", endpoint)
                .setParameter("now", now).getResultList());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Claimed(((Number) r[0]).longValue(), claim, ((Number) r[1]).intValue(), (String) r[2],
                (String) r[3], (String) r[4], instant(r[5]), instant(r[6])));
    }

    /**
     * Records the attempt's answer and the delivery's next state; false when the claim was no longer held (its lease
     * ran out and another dispatcher took the row), in which case only the attempt is recorded.
     */
    boolean finish(Claimed claimed, AttemptResult result, Verdict verdict, Instant now, Instant nextAttemptAt) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("UPDATE webhook_attempts SET finished_at = :now, status_code = :code, error = :error"
                    + " WHERE delivery_id = :id AND number = :number")
                    .unwrap(NativeQuery.class)
                    .setParameter("now", now).setParameter("code", result.statusCode(), Integer.class)
                    .setParameter("error", result.error(), String.class).setParameter("id", claimed.id())
                    .setParameter("number", claimed.attempt()).executeUpdate();
            String set = switch (verdict) {
                case DELIVERED -> "status = 'DELIVERED', finished_at = :now, last_error = NULL";
                case FAILED -> "status = 'FAILED', finished_at = :now, last_error = :error";
                case RETRY -> "next_attempt_at = :next, last_error = :error";
            };
            var update = em.createNativeQuery("UPDATE webhook_deliveries SET " + set + ", claim = NULL"
                    + " WHERE id = :id AND claim = :claim AND status = 'PENDING'")
                    .setParameter("id", claimed.id()).setParameter("claim", claimed.claim());
            if (verdict != Verdict.RETRY) {
                update.setParameter("now", now);
            }
            if (verdict != Verdict.DELIVERED) {
                update.setParameter("error", result.summary());
            }
            if (verdict == Verdict.RETRY) {
                update.setParameter("next", nextAttemptAt);
            }
            return update.executeUpdate() == 1;
        });
    }

    /** When the oldest event still waiting for some endpoint happened; empty when nothing is pending. */
    Optional<Instant> oldestPending() {
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT min(created_at) FROM webhook_deliveries WHERE status = 'PENDING'").getResultList());
        return rows.isEmpty() || rows.get(0) == null ? Optional.empty() : Optional.of(instant(rows.get(0)));
    }

    static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + (value == null ? null : value.getClass()));
    }
}
