package io.replaybuffer.platform.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.redis.RedisMode;
import io.replaybuffer.platform.redis.RedisStatus;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Admission of event streams (api.md, "Limits"): at most REPLAY_MAX_STREAMS_PER_USER per user across replicas (leases
 * in Redis, {@link RedisStreamLeases}) and REPLAY_MAX_STREAMS on this replica, which is what one process can hold
 * open. While Redis does not answer, this replica counts the user's streams itself and allows its share,
 * REPLAY_MAX_STREAMS_PER_USER / REPLAY_REPLICAS (at least one), as the other per-user limits do.
 */
@ApplicationScoped
public class StreamSlots {

    /** A lease outlives four missed renewals, so a dead replica's streams stop counting within a minute. */
    static final Duration LEASE = EventsResource.KEEPALIVE.multipliedBy(4);
    private static final Logger LOG = Logger.getLogger(StreamSlots.class);

    private final ReplayConfig config;
    private final RedisStatus redis;
    private final StreamLeases shared;
    private final StreamLeases local = new LocalStreamLeases();
    /** Streams open on this replica, by user: what {@link #renew} renews. */
    private final Map<String, Set<String>> open = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    /** Renewals and give-backs call Redis; they run here, never on the event loop that sees a client leave. */
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-stream-leases");
        thread.setDaemon(true);
        return thread;
    });

    StreamSlots(ReplayConfig config, RedisMode mode, Instance<ReactiveRedisDataSource> redisClient, RedisStatus redis,
            Clock clock, MeterRegistry registry) {
        this.config = config;
        this.redis = redis;
        this.shared = mode.configured() ? new RedisStreamLeases(redisClient.get(), clock, LEASE) : local;
        long every = EventsResource.KEEPALIVE.toMillis();
        housekeeping.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        Gauge.builder("replay_event_streams_open", total, AtomicInteger::get)
                .description("Event streams (SSE) open on this replica").register(registry);
    }

    /** A place for one more stream of {@code userId}, or {@link TooManyStreamsProblem}. Blocks on Redis. */
    public Slot open(String userId) {
        int replicaMax = config.maxStreams();
        if (total.incrementAndGet() > replicaMax) {
            total.decrementAndGet();
            throw TooManyStreamsProblem.forReplica(replicaMax);
        }
        String streamId = UUID.randomUUID().toString();
        int userMax = config.maxStreamsPerUser();
        boolean taken;
        try {
            taken = takeLease(userId, streamId, userMax);
        } catch (RuntimeException e) {
            total.decrementAndGet();
            throw e;
        }
        if (!taken) {
            total.decrementAndGet();
            throw TooManyStreamsProblem.forUser(userMax);
        }
        open.compute(userId, (user, streams) -> {
            Set<String> mine = streams != null ? streams : ConcurrentHashMap.newKeySet();
            mine.add(streamId);
            return mine;
        });
        return new Slot(userId, streamId);
    }

    private boolean takeLease(String userId, String streamId, int max) {
        if (shared == local) {
            return local.take(userId, streamId, max);
        }
        if (redis.worthTrying()) {
            try {
                boolean taken = shared.take(userId, streamId, max);
                redis.answered();
                return taken;
            } catch (RuntimeException e) {
                redis.failed(e);
            }
        }
        redis.fellBack(RedisStatus.Feature.STREAM_LIMIT);
        return local.take(userId, streamId, Math.max(1, max / config.replicas()));
    }

    /** Streams open on this replica now. */
    int openStreams() {
        return total.get();
    }

    /** Renews the leases of every stream open here (and re-registers any that lapsed while Redis was away). */
    void renew() {
        if (shared == local || redis.degraded()) {
            return; // nothing lapses locally; while Redis is away the next renewal after it answers catches up
        }
        Map<String, List<String>> snapshot = new HashMap<>();
        open.forEach((user, streams) -> snapshot.put(user, List.copyOf(streams)));
        snapshot.values().removeIf(List::isEmpty);
        try {
            shared.renew(snapshot);
            redis.answered();
        } catch (RuntimeException e) {
            redis.failed(e);
            LOG.debugf("could not renew %d users' stream leases: %s", snapshot.size(), e.toString());
        }
    }

    @PreDestroy
    void stop() {
        housekeeping.shutdownNow();
    }

    /** One stream's place; closing it (once, from any thread) frees it. */
    public final class Slot implements AutoCloseable {

        private final String userId;
        private final String streamId;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Slot(String userId, String streamId) {
            this.userId = userId;
            this.streamId = streamId;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            total.decrementAndGet();
            open.computeIfPresent(userId, (user, streams) -> {
                streams.remove(streamId);
                return streams.isEmpty() ? null : streams;
            });
            try {
                housekeeping.execute(() -> {
                    local.give(userId, streamId);
                    if (shared != local && !redis.degraded()) {
                        try {
                            shared.give(userId, streamId);
                        } catch (RuntimeException e) {
                            redis.failed(e);
                            LOG.debugf("stream lease %s of %s lapses by itself: %s", streamId, userId, e.toString());
                        }
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                LOG.debugf("stream lease %s of %s lapses by itself (shutting down)", streamId, userId);
            }
        }
    }
}
