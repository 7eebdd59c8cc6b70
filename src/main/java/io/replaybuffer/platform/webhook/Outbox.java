package io.replaybuffer.platform.webhook;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes events to the outbox inside the caller's transaction, so the event exists exactly when the change that
 * caused it committed. The body is serialised here, once, with the API's own JSON mapper: {@code data} is the
 * resource as the API shows it, and every retry sends the same bytes.
 */
@ApplicationScoped
public class Outbox {

    /** Fired inside the transaction; the dispatcher hears it after the commit and delivers without waiting to poll. */
    public record Queued() {
    }

    /** The body of every delivery, in the specification's field order. */
    @JsonPropertyOrder({"type", "timestamp", "data"})
    record Body(String type, Instant timestamp, Object data) {
    }

    private final WebhookEndpoints endpoints;
    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retryFor;
    private final Event<Queued> queued;

    Outbox(WebhookEndpoints endpoints, EntityManager em, ObjectMapper json, Clock clock,
            io.replaybuffer.platform.config.ReplayConfig config, Event<Queued> queued) {
        this.endpoints = endpoints;
        this.em = em;
        this.json = json;
        this.clock = clock;
        this.retryFor = config.webhook().retryFor();
        this.queued = queued;
    }

    /** Queues {@code type} with {@code data} for every endpoint; nothing at all when none is configured. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(WebhookEventType type, Object data) {
        if (!endpoints.any()) {
            return;
        }
        Instant now = clock.instant();
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        String body;
        try {
            body = json.writeValueAsString(new Body(type.wireName(), now, data));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("webhook data is not serialisable", e);
        }
        em.createNativeQuery("INSERT INTO webhook_events (id, type, body, created_at) VALUES (:id, :type, :body, :now)")
                .setParameter("id", id).setParameter("type", type.wireName()).setParameter("body", body)
                .setParameter("now", now).executeUpdate();
        for (String url : endpoints.urls()) {
            em.createNativeQuery("INSERT INTO webhook_deliveries (event_id, endpoint, status, created_at,"
                    + " next_attempt_at, give_up_at) VALUES (:id, :endpoint, 'PENDING', :now, :now, :giveUp)")
                    .setParameter("id", id).setParameter("endpoint", url).setParameter("now", now)
                    .setParameter("giveUp", now.plus(retryFor)).executeUpdate();
        }
        queued.fire(new Queued());
    }
}
