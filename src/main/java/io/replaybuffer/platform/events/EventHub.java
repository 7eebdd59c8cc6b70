package io.replaybuffer.platform.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.replaybuffer.platform.redis.Broadcast;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    /**
     * This replica's subscribers, by user: an event reaches its user's streams without a look at anyone else's.
     * Emitters are thread-safe, and several threads deliver.
     */
    private final Map<String, Set<MultiEmitter<? super UserEvent>>> subscribers = new ConcurrentHashMap<>();

    EventHub(Broadcast broadcast, ObjectMapper json) {
        this.broadcast = broadcast;
        this.json = json;
    }

    void subscribe(@Observes StartupEvent start) {
        if (broadcast.enabled()) {
            broadcast.subscribe(CHANNEL, UserEvent.class, event -> {
                LOG.debugf("received %s for %s", event.type(), event.userId());
                deliver(event);
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
            deliver(event);
        }
    }

    private void deliver(UserEvent event) {
        Set<MultiEmitter<? super UserEvent>> streams = subscribers.get(event.userId());
        if (streams != null) {
            streams.forEach(stream -> stream.emit(event));
        }
    }

    /** This replica's stream of {@code userId}'s events, from now on (hot: nothing earlier is replayed). */
    public Multi<UserEvent> stream(String userId) {
        return Multi.createFrom().emitter(emitter -> {
            subscribers.compute(userId, (user, streams) -> {
                Set<MultiEmitter<? super UserEvent>> mine = streams != null ? streams : ConcurrentHashMap.newKeySet();
                mine.add(emitter);
                return mine;
            });
            emitter.onTermination(() -> subscribers.computeIfPresent(userId, (user, streams) -> {
                streams.remove(emitter);
                return streams.isEmpty() ? null : streams;
            }));
        });
    }

    /** How many streams of {@code userId} this replica serves now. */
    int subscribers(String userId) {
        Set<MultiEmitter<? super UserEvent>> streams = subscribers.get(userId);
        return streams == null ? 0 : streams.size();
    }
}
