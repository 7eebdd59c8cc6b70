package io.replaybuffer.capture;

import io.replaybuffer.platform.error.ProblemException;
import java.time.Duration;

/** The user has used up REPLAY_CAPTURE_RATE; {@code Retry-After} says when the next capture is allowed. */
public class RateLimitedProblem extends ProblemException {

    private final Duration retryAfter;

    public RateLimitedProblem(Duration retryAfter) {
        super("rate-limited", "Too many captures", 429,
                "Capture limit reached; try again in " + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " s");
        this.retryAfter = retryAfter;
    }

    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}
