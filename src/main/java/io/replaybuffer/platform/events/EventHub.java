package io.replaybuffer.platform.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.replaybuffer.platform.redis.RedisMode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
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

    private final RedisMode mode;
    private final Instance<ReactiveRedisDataSource> redis;
    private final ObjectMapper json;
    /** Hot: a subscriber sees what is published after it subscribes. Serialised: several threads publish. */
    private final SerializedProcessor<UserEvent, UserEvent> local = BroadcastProcessor.<UserEvent>create().serialized();
    private volatile Cancellable subscription;

    EventHub(RedisMode mode, Instance<ReactiveRedisDataSource> redis, ObjectMapper json) {
        this.mode = mode;
        this.redis = redis;
        this.json = json;
    }

    void subscribe(@Observes StartupEvent start) {
        if (!mode.configured()) {
            return;
        }
        subscription = redis.get().pubsub(UserEvent.class).subscribe(CHANNEL)
                .onFailure().invoke(e -> LOG.warnf("event subscription lost (%s); resubscribing", e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(event -> {
                    LOG.debugf("received %s for %s", event.type(), event.userId());
                    local.onNext(event);
                });
    }

    void unsubscribe(@Observes ShutdownEvent stop) {
        if (subscription != null) {
            subscription.cancel();
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
        if (mode.configured()) {
            redis.get().pubsub(UserEvent.class).publish(CHANNEL, event).subscribe().with(
                    ignored -> { },
                    failure -> LOG.warnf("event %s for %s not published: %s", type, userId, failure.toString()));
        } else {
            local.onNext(event);
        }
    }

    /** This replica's stream of {@code userId}'s events, from now on. */
    public Multi<UserEvent> stream(String userId) {
        return Multi.createFrom().publisher(local).filter(event -> event.userId().equals(userId));
    }
}
