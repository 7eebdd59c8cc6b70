package io.replaybuffer.buffer;

import io.replaybuffer.platform.events.EventHub;
import io.replaybuffer.platform.webhook.Outbox;
import io.replaybuffer.platform.webhook.WebhookEventType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells of a buffer's state changes: to the game platform's backend as webhooks ({@code buffer.started|stopped|failed},
 * queued inside the transaction that makes the change), and to the buffer's owner over SSE on every replica once it
 * committed ({@code buffer.active} too).
 */
@ApplicationScoped
public class BufferEvents {

    private final EventHub hub;
    private final BufferViews views;
    private final Outbox outbox;

    BufferEvents(EventHub hub, BufferViews views, Outbox outbox) {
        this.hub = hub;
        this.views = views;
        this.outbox = outbox;
    }

    /** Within the transaction that set the buffer's new status: queues its webhook, if that status has one. */
    void changing(ReplayBufferSession session) {
        WebhookEventType type = switch (session.status) {
            case STARTING -> WebhookEventType.BUFFER_STARTED;
            case STOPPED -> WebhookEventType.BUFFER_STOPPED;
            case FAILED -> WebhookEventType.BUFFER_FAILED;
            case ACTIVE, STOPPING -> null; // steps of a start or a stop, not news to a game backend
        };
        if (type != null) {
            outbox.add(type, views.of(session));
        }
    }

    /** Publishes {@code buffer.started|active|stopped|failed}; STOPPING is a step, not news. */
    public void changed(ReplayBufferSession session) {
        String type = switch (session.status) {
            case STARTING -> "buffer.started";
            case ACTIVE -> "buffer.active";
            case STOPPED -> "buffer.stopped";
            case FAILED -> "buffer.failed";
            case STOPPING -> null;
        };
        if (type != null) {
            hub.publish(session.userId, type, views.of(session));
        }
    }
}
