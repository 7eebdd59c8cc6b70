package io.replaybuffer.platform.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Best-effort messages to every replica (this one included) over a Redis pub/sub channel: the one mechanism behind
 * cross-replica events and cache invalidation. A lost subscription is re-established with back-off; a message that
 * cannot be sent is logged, never thrown, because every use treats it as a hint whose truth lives elsewhere.
 * Without Redis there are no other replicas: {@link #enabled()} is false and callers act locally.
 */
@ApplicationScoped
public class Broadcast {

    private static final Logger LOG = Logger.getLogger(Broadcast.class);

    private final RedisMode mode;
    private final Instance<ReactiveRedisDataSource> redis;
    private final List<Cancellable> subscriptions = new CopyOnWriteArrayList<>();

    Broadcast(RedisMode mode, Instance<ReactiveRedisDataSource> redis) {
        this.mode = mode;
        this.redis = redis;
    }

    public boolean enabled() {
        return mode.configured();
    }

    /** Hands {@code receiver} every message on {@code channel} from now until shutdown. Requires {@link #enabled()}. */
    public <T> void subscribe(String channel, Class<T> type, Consumer<T> receiver) {
        subscriptions.add(redis.get().pubsub(type).subscribe(channel)
                .onFailure().invoke(e -> LOG.warnf("subscription to %s lost (%s); resubscribing", channel, e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(receiver));
    }

    /** Sends {@code message} without waiting; {@code what} names it in the log if it cannot be sent. */
    public <T> void publish(String channel, Class<T> type, T message, String what) {
        redis.get().pubsub(type).publish(channel, message).subscribe().with(ignored -> { },
                failure -> LOG.warnf("%s not sent: %s", what, failure.toString()));
    }

    void cancel(@Observes ShutdownEvent stop) {
        subscriptions.forEach(Cancellable::cancel);
    }
}
