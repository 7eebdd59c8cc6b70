package io.replaybuffer.platform.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Best-effort messages to every replica (this one included) over a Redis pub/sub channel: the one mechanism behind
 * cross-replica events and cache invalidation. A lost subscription is re-established with back-off; a message that
 * cannot be sent is delivered to this replica's own receivers, never thrown, because every use treats it as a hint
 * whose truth lives elsewhere: with Redis down, this replica's clients still hear what happens on this replica.
 * Without Redis there are no other replicas: {@link #enabled()} is false and callers act locally.
 */
@ApplicationScoped
public class Broadcast {

    private static final Logger LOG = Logger.getLogger(Broadcast.class);

    private final RedisMode mode;
    private final Instance<ReactiveRedisDataSource> redis;
    private final RedisStatus status;
    private final List<Cancellable> subscriptions = new CopyOnWriteArrayList<>();
    private final Map<String, List<Consumer<Object>>> receivers = new ConcurrentHashMap<>();

    Broadcast(RedisMode mode, Instance<ReactiveRedisDataSource> redis, RedisStatus status) {
        this.mode = mode;
        this.redis = redis;
        this.status = status;
    }

    public boolean enabled() {
        return mode.configured();
    }

    /** Hands {@code receiver} every message on {@code channel} from now until shutdown. Requires {@link #enabled()}. */
    public <T> void subscribe(String channel, Class<T> type, Consumer<T> receiver) {
        receivers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>())
                .add(message -> receiver.accept(type.cast(message)));
        subscriptions.add(redis.get().pubsub(type).subscribe(channel)
                // A connection that closes (Redis restarted or died) ends the stream instead of failing it: make that
                // a failure too, or the retry below never runs and this replica stops hearing the others for good.
                .onCompletion().failWith(() -> new IllegalStateException("the subscription's connection closed"))
                .onFailure().invoke(e -> {
                    status.failed(e); // which logs the outage once; each retry of an outage is only worth a debug line
                    LOG.debugf("subscription to %s lost (%s); resubscribing", channel, e.toString());
                })
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(receiver));
    }

    /** Sends {@code message} without waiting; {@code what} names it in the log if it cannot be sent. */
    public <T> void publish(String channel, Class<T> type, T message, String what) {
        if (!status.worthTrying()) {
            deliverHere(channel, message);
            return;
        }
        redis.get().pubsub(type).publish(channel, message)
                .ifNoItem().after(RedisStatus.TIMEOUT).fail()
                .subscribe().with(ignored -> status.answered(), failure -> {
                    status.failed(failure);
                    LOG.debugf("%s not sent to other replicas (%s); delivered on this replica only", what, failure);
                    deliverHere(channel, message);
                });
    }

    private void deliverHere(String channel, Object message) {
        status.fellBack(RedisStatus.Feature.BROADCAST);
        receivers.getOrDefault(channel, List.of()).forEach(receiver -> receiver.accept(message));
    }

    void cancel(@Observes ShutdownEvent stop) {
        subscriptions.forEach(Cancellable::cancel);
    }
}
