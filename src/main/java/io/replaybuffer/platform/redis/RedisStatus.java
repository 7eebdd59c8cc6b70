package io.replaybuffer.platform.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Whether Redis answers, as this replica's own calls find out. While it does not, callers use their stand-ins (this
 * replica's share of each limit, delivery to this replica's own subscribers) instead of each waiting on a dead
 * connection; one call every {@link #RETRY_EVERY} is let through to find out whether Redis is back, and the
 * dependencies health check pings it. Metrics: {@code replay_buffer_redis_degraded} (1 while Redis fails) and
 * {@code replay_buffer_redis_fallbacks_total{feature}} (uses of a stand-in).
 */
@Singleton
public class RedisStatus {

    /** How long a call waits for Redis. Its commands answer within a millisecond; a second of silence is an outage. */
    public static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** While Redis fails, how often one call tries it again. */
    static final Duration RETRY_EVERY = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(RedisStatus.class);

    /** What falls back to a per-replica stand-in while Redis is down. */
    public enum Feature {
        RATE_LIMIT("rate-limit"), BROADCAST("broadcast"), STREAM_LIMIT("stream-limit");

        private final String label;

        Feature(String label) {
            this.label = label;
        }
    }

    private final RedisMode mode;
    private final Instance<ReactiveRedisDataSource> redis;
    private final Clock clock;
    /** Null while Redis answers; otherwise when the next call may try it again. */
    private final AtomicReference<Instant> nextTry = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final Map<Feature, Counter> fallbacks = new EnumMap<>(Feature.class);

    RedisStatus(RedisMode mode, Instance<ReactiveRedisDataSource> redis, Clock clock, MeterRegistry registry) {
        this.mode = mode;
        this.redis = redis;
        this.clock = clock;
        Gauge.builder("replay_buffer_redis_degraded", this, status -> status.degraded() ? 1 : 0)
                .description("1 while Redis does not answer and this replica enforces its own share of every limit")
                .register(registry);
        for (Feature feature : Feature.values()) {
            // Registered up front, so the series exist (at 0) before the first outage.
            fallbacks.put(feature, Counter.builder("replay_buffer_redis_fallbacks_total").tag("feature", feature.label)
                    .description("Uses of a per-replica stand-in because Redis did not answer").register(registry));
        }
    }

    public boolean degraded() {
        return nextTry.get() != null;
    }

    /** The last failure's kind while degraded (never its message: health output travels further than logs). */
    public String lastError() {
        return degraded() ? lastError.get() : null;
    }

    /** Whether to call Redis now: always while it answers; while it does not, for one caller every RETRY_EVERY. */
    public boolean worthTrying() {
        Instant next = nextTry.get();
        if (next == null) {
            return true;
        }
        Instant now = clock.instant();
        return !now.isBefore(next) && nextTry.compareAndSet(next, now.plus(RETRY_EVERY));
    }

    /** A call to Redis was answered. */
    public void answered() {
        if (nextTry.getAndSet(null) != null) {
            LOG.info("Redis answers again: limits are counted across replicas and messages cross replicas again");
        }
    }

    /** A call to Redis failed or timed out. */
    public void failed(Throwable cause) {
        lastError.set(cause.getClass().getSimpleName());
        if (nextTry.getAndSet(clock.instant().plus(RETRY_EVERY)) == null) {
            LOG.warnf("Redis does not answer (%s): this replica enforces its own share of every limit and delivers "
                    + "events to its own clients only until it does", cause.toString());
        }
    }

    /** {@code feature} used its per-replica stand-in instead of Redis. */
    public void fellBack(Feature feature) {
        fallbacks.get(feature).increment();
    }

    /** Asks Redis for a PONG and records the answer; true without Redis (nothing to wait for). */
    public boolean ping() {
        if (!mode.configured()) {
            return true;
        }
        try {
            redis.get().execute("PING").await().atMost(TIMEOUT);
            answered();
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }
}
