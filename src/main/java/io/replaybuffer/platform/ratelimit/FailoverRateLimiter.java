package io.replaybuffer.platform.ratelimit;

import io.replaybuffer.platform.config.RateLimit;
import io.replaybuffer.platform.redis.RedisStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Limits counted in Redis, across every replica, while Redis answers. While it does not, each replica counts in
 * memory and allows 1/REPLAY_REPLICAS of every limit (at least one), so all replicas together still stay within it
 * (api.md, "Limits"): during an outage a player is limited somewhat harder, never let loose and never locked out.
 */
final class FailoverRateLimiter implements RateLimiter {

    private final RateLimiter shared;
    private final RateLimiter local;
    private final RedisStatus redis;
    private final int replicas;

    FailoverRateLimiter(RateLimiter shared, RateLimiter local, RedisStatus redis, int replicas) {
        this.shared = shared;
        this.local = local;
        this.redis = redis;
        this.replicas = replicas;
    }

    @Override
    public Optional<Duration> tryAcquire(String key, List<RateLimit> rules) {
        if (redis.worthTrying()) {
            try {
                Optional<Duration> wait = shared.tryAcquire(key, rules);
                redis.answered();
                return wait;
            } catch (RuntimeException e) {
                redis.failed(e);
            }
        }
        redis.fellBack(RedisStatus.Feature.RATE_LIMIT);
        return local.tryAcquire(key, shareOf(rules));
    }

    /**
     * Gives back where the permit was probably taken: in Redis while it answers, else in this replica's counts. A
     * permit taken just before Redis fell over is given back to the wrong place; at worst the player keeps one permit
     * less until the window resets.
     */
    @Override
    public void release(String key, List<RateLimit> rules) {
        if (!redis.degraded()) {
            try {
                shared.release(key, rules);
                redis.answered();
                return;
            } catch (RuntimeException e) {
                redis.failed(e);
            }
        }
        local.release(key, shareOf(rules));
    }

    /** This replica's share of each rule, in the same windows. */
    List<RateLimit> shareOf(List<RateLimit> rules) {
        return rules.stream().map(rule -> new RateLimit(Math.max(1, rule.permits() / replicas), rule.window())).toList();
    }
}
