package io.replaybuffer.buffer;

import io.replaybuffer.platform.events.EventHub;
import jakarta.enterprise.context.ApplicationScoped;

/** Tells the buffer's owner (over SSE, on every replica) that the buffer changed state. */
@ApplicationScoped
public class BufferEvents {

    private final EventHub hub;
    private final BufferViews views;

    BufferEvents(EventHub hub, BufferViews views) {
        this.hub = hub;
        this.views = views;
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
