package io.replaybuffer.platform.ratelimit;

import io.replaybuffer.platform.config.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Counts actions per key against several windows at once ("3 a minute and 15 an hour"). */
public interface RateLimiter {

    /**
     * Counts one action for {@code key} if every rule still has room; otherwise counts nothing and returns how long
     * until the fullest window resets.
     */
    Optional<Duration> tryAcquire(String key, List<RateLimit> rules);

    /**
     * Gives back one action counted by {@link #tryAcquire} for a request that was refused after all, so refusals cost
     * the user nothing. Counts are per fixed window: if a window ended between taking and giving back (the two are
     * one request apart), the new window is the one credited, which can allow one extra action in it. Never drops
     * a count below zero.
     */
    void release(String key, List<RateLimit> rules);
}
