package io.replaybuffer.platform.ratelimit;

import io.replaybuffer.platform.error.ProblemException;
import java.time.Duration;
import java.util.Map;

/**
 * The user has used up one of their per-user limits; {@code Retry-After} says when the next such request is allowed,
 * and {@code limit} which limit it was (the player page words a capture limit differently).
 */
public class RateLimitedProblem extends ProblemException {

    private final Limited limit;
    private final Duration retryAfter;

    public RateLimitedProblem(Limited limit, Duration retryAfter) {
        super("rate-limited", "Too many requests", 429, "Too many " + limit.what() + "; try again in "
                + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " s");
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    @Override
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public Map<String, Object> extensions() {
        return Map.of("limit", limit.slug());
    }
}
