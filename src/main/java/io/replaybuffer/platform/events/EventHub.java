package io.replaybuffer.platform.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.replaybuffer.platform.redis.Broadcast;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Delivers user events to every replica's SSE subscribers. With Redis, each event is published on one channel and
 * every replica (this one included) receives it from there, so a client connected anywhere sees it; without Redis
 * (single process) events go straight to local subscribers. Delivery is best effort: an event is a hint to refresh,
 * and the REST resources stay the truth.
 */
@ApplicationScoped
public class EventHub {

    static final String CHANNEL = "replay-buffer:events";
    private static final Logger LOG = Logger.getLogger(EventHub.class);

    private final Broadcast broadcast;
    private final ObjectMapper json;
    /** Hot: a subscriber sees what is published after it subscribes. Serialised: several threads publish. */
    private final SerializedProcessor<UserEvent, UserEvent> local = BroadcastProcessor.<UserEvent>create().serialized();

    EventHub(Broadcast broadcast, ObjectMapper json) {
        this.broadcast = broadcast;
        this.json = json;
    }

    void subscribe(@Observes StartupEvent start) {
        if (broadcast.enabled()) {
            broadcast.subscribe(CHANNEL, UserEvent.class, event -> {
                LOG.debugf("received %s for %s", event.type(), event.userId());
                local.onNext(event);
            });
        }
    }

    /** Publishes {@code data} (serialised as JSON) to {@code userId}'s subscribers on every replica. */
    public void publish(String userId, String type, Object data) {
        UserEvent event;
        try {
            event = new UserEvent(userId, type, json.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serialisable", e);
        }
        LOG.debugf("publishing %s to %s", type, userId);
        if (broadcast.enabled()) {
            broadcast.publish(CHANNEL, UserEvent.class, event, "event " + type + " for " + userId);
        } else {
            local.onNext(event);
        }
    }

    /** This replica's stream of {@code userId}'s events, from now on. */
    public Multi<UserEvent> stream(String userId) {
        return Multi.createFrom().publisher(local).filter(event -> event.userId().equals(userId));
    }
}
