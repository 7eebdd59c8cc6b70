package io.replaybuffer.platform.ratelimit;

import io.quarkus.redis.datasource.RedisDataSource;
import io.replaybuffer.platform.redis.RedisMode;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Redis counters when Redis is configured (limits hold across replicas), in-process ones otherwise. */
public class RateLimiters {

    @Produces
    @Singleton
    RateLimiter rateLimiter(RedisMode mode, Instance<RedisDataSource> redis, Clock clock) {
        return mode.configured() ? new RedisRateLimiter(redis.get()) : new LocalRateLimiter(clock);
    }
}
