package io.replaybuffer.platform.health;

import io.replaybuffer.platform.redis.RedisMode;
import io.replaybuffer.platform.redis.RedisStatus;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Redis answers PING, or the service runs alone with in-process equivalents (dev only; prod requires Redis). Reported
 * in the dependencies group, not in readiness: without Redis a replica still serves (its own share of each limit,
 * events to its own clients), and taking every replica out of service at once would empty the load balancer.
 */
@HealthGroup(HealthGroups.DEPENDENCIES)
@ApplicationScoped
public class RedisHealth implements HealthCheck {

    private final RedisMode mode;
    private final RedisStatus status;

    RedisHealth(RedisMode mode, RedisStatus status) {
        this.mode = mode;
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        if (!mode.configured()) {
            return HealthCheckResponse.named("redis").up().withData("mode", "in-process").build();
        }
        if (status.ping()) {
            return HealthCheckResponse.named("redis").up().withData("mode", "redis").build();
        }
        HealthCheckResponseBuilder down = HealthCheckResponse.named("redis").down().withData("mode", "redis")
                .withData("fallback", "per-replica share of every limit; events reach this replica's clients only");
        String error = status.lastError();
        return (error == null ? down : down.withData("error", error)).build();
    }
}
