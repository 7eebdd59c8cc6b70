package io.replaybuffer.clip.quota;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.replaybuffer.platform.redis.RedisMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Tells the other replicas to drop a user's cached quota. Without Redis there are no other replicas. */
@ApplicationScoped
public class QuotaInvalidation {

    static final String CHANNEL = "replay-buffer:quota-invalidate";
    private static final Logger LOG = Logger.getLogger(QuotaInvalidation.class);

    private final RedisMode mode;
    private final Instance<ReactiveRedisDataSource> redis;
    private final Cache cache;

    QuotaInvalidation(RedisMode mode, Instance<ReactiveRedisDataSource> redis, @CacheName("quota") Cache cache) {
        this.mode = mode;
        this.redis = redis;
        this.cache = cache;
    }

    void listen(@Observes StartupEvent start) {
        if (mode.configured()) {
            redis.get().pubsub(String.class).subscribe(CHANNEL)
                    .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                    .subscribe().with(userId -> cache.invalidate(userId).subscribe().with(ignored -> { }));
        }
    }

    void publish(String userId) {
        if (mode.configured()) {
            redis.get().pubsub(String.class).publish(CHANNEL, userId).subscribe().with(ignored -> { },
                    failure -> LOG.warnf("quota invalidation for %s not sent: %s", userId, failure.toString()));
        }
    }
}
