package io.replaybuffer.platform.health;

import io.quarkus.redis.datasource.RedisDataSource;
import io.replaybuffer.platform.redis.RedisMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Redis answers PING, or the service runs alone with in-process equivalents (dev only; prod requires Redis). */
@Readiness
@ApplicationScoped
public class RedisReadiness implements HealthCheck {

    private final RedisMode mode;
    private final Instance<RedisDataSource> redis;

    RedisReadiness(RedisMode mode, Instance<RedisDataSource> redis) {
        this.mode = mode;
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        if (!mode.configured()) {
            return HealthCheckResponse.named("redis").up().withData("mode", "in-process").build();
        }
        try {
            redis.get().execute("PING");
            return HealthCheckResponse.named("redis").up().withData("mode", "redis").build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("redis").down().withData("mode", "redis")
                    .withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
