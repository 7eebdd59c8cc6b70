package io.replaybuffer.egress;

import io.replaybuffer.platform.error.ProblemException;
import java.time.Duration;

/** LiveKit cannot be reached, timed out, or the circuit breaker is open: try again shortly. */
public class EgressUnavailableProblem extends ProblemException {

    private final Duration retryAfter;

    public EgressUnavailableProblem(String detail, Duration retryAfter, Throwable cause) {
        super("livekit-unavailable", "LiveKit unavailable", 503, detail, cause);
        this.retryAfter = retryAfter;
    }

    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}
