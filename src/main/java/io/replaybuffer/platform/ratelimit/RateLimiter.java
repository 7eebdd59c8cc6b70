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
}
