package io.replaybuffer.platform.webhook;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.config.WebhookSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Keeps the outbox small: delivered rows go REPLAY_WEBHOOK_KEEP_DELIVERED after delivery, failed ones
 * REPLAY_WEBHOOK_KEEP_FAILED after failing, events once no delivery refers to them. Also fails deliveries past their
 * give-up time that nobody attempts any more (their endpoint was removed from every replica's REPLAY_WEBHOOK_URLS).
 * Every replica may run it at the same time: each statement is idempotent, and deletes go in batches so no run holds
 * many row locks.
 */
@ApplicationScoped
public class WebhookPruner {

    private static final Logger LOG = Logger.getLogger(WebhookPruner.class);
    private static final int BATCH = 5000;

    /** What one run removed or failed. */
    public record Report(int expired, int deliveries, int events) {
    }

    private final EntityManager em;
    private final WebhookMetrics metrics;
    private final Clock clock;
    private final WebhookSettings config;

    WebhookPruner(EntityManager em, WebhookMetrics metrics, Clock clock, ReplayConfig config) {
        this.em = em;
        this.metrics = metrics;
        this.clock = clock;
        this.config = config.webhook();
    }

    @Scheduled(identity = "webhook-prune", every = "1h", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Report report = prune(clock.instant());
        if (report.expired() + report.deliveries() + report.events() > 0) {
            LOG.infof("webhook outbox: %d expired, %d deliveries and %d events pruned", report.expired(),
                    report.deliveries(), report.events());
        }
    }

    public Report prune(Instant now) {
        // An attempt in flight may still be claimed at its give-up time: wait out the longest lease first.
        Instant abandoned = now.minus(config.timeout().multipliedBy(2).plusSeconds(30));
        int expired = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("UPDATE webhook_deliveries"
                + " SET status = 'FAILED', finished_at = :now, claim = NULL, last_error = :error"
                + " WHERE status = 'PENDING' AND give_up_at < :abandoned")
                .setParameter("now", now).setParameter("abandoned", abandoned)
                .setParameter("error", "not delivered before its give-up time: no replica sends to this endpoint")
                .executeUpdate());
        metrics.failed(expired);
        int deliveries = deleteFinished("DELIVERED", now.minus(config.keepDelivered()))
                + deleteFinished("FAILED", now.minus(config.keepFailed()));
        int events = batched("DELETE FROM webhook_events WHERE id IN (SELECT e.id FROM webhook_events e"
                + " WHERE e.created_at < :before AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d"
                + " WHERE d.event_id = e.id) LIMIT " + BATCH + ")", now.minus(config.keepDelivered()), null);
        return new Report(expired, deliveries, events);
    }

    private int deleteFinished(String status, Instant before) {
        return batched("DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries"
                + " WHERE status = :status AND finished_at < :before LIMIT " + BATCH + ")", before, status);
    }

    private int batched(String sql, Instant before, String status) {
        int total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> {
                var query = em.createNativeQuery(sql).setParameter("before", before);
                if (status != null) {
                    query.setParameter("status", status);
                }
                return query.executeUpdate();
            });
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }

}
