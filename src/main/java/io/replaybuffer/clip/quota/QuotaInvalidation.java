package io.replaybuffer.clip.quota;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.runtime.StartupEvent;
import io.replaybuffer.platform.redis.Broadcast;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Tells the other replicas to drop a user's cached quota. Without Redis there are no other replicas. */
@ApplicationScoped
public class QuotaInvalidation {

    static final String CHANNEL = "replay-buffer:quota-invalidate";

    private final Broadcast broadcast;
    private final Cache cache;

    QuotaInvalidation(Broadcast broadcast, @CacheName("quota") Cache cache) {
        this.broadcast = broadcast;
        this.cache = cache;
    }

    void listen(@Observes StartupEvent start) {
        if (broadcast.enabled()) {
            broadcast.subscribe(CHANNEL, String.class, userId -> cache.invalidate(userId).subscribe().with(ignored -> { }));
        }
    }

    void publish(String userId) {
        if (broadcast.enabled()) {
            broadcast.publish(CHANNEL, String.class, userId, "quota invalidation for " + userId);
        }
    }
}
