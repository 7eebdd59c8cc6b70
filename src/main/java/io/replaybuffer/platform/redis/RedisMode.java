package io.replaybuffer.platform.redis;

import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether Redis is configured. With it, cross-replica features (events, rate limits, cache invalidation) go through
 * Redis; without it (the single-process dev default) their in-process equivalents take over. Production requires it.
 */
@Singleton
public class RedisMode {

    private final boolean configured;

    RedisMode(@ConfigProperty(name = "quarkus.redis.hosts") Optional<String> hosts) {
        this.configured = hosts.filter(h -> !h.isBlank()).isPresent();
    }

    public boolean configured() {
        return configured;
    }
}
