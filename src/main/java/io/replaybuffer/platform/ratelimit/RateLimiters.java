package io.replaybuffer.platform.ratelimit;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.redis.RedisMode;
import io.replaybuffer.platform.redis.RedisStatus;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Redis counters when Redis is configured (limits hold across replicas), falling back to this replica's share while
 * Redis does not answer; in-process counters when there is no Redis (a single process).
 */
public class RateLimiters {

    @Produces
    @Singleton
    RateLimiter rateLimiter(RedisMode mode, Instance<ReactiveRedisDataSource> redis, RedisStatus status,
            ReplayConfig config, Clock clock) {
        if (!mode.configured()) {
            return new LocalRateLimiter(clock);
        }
        return new FailoverRateLimiter(new RedisRateLimiter(redis.get()), new LocalRateLimiter(clock), status,
                config.replicas());
    }
}
