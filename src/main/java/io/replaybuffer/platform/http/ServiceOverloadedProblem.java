package io.replaybuffer.platform.http;

import io.replaybuffer.platform.error.ProblemException;
import java.time.Duration;

/**
 * This replica is already working on as many API requests as it lets in at once ({@link LoadShedder}). Nothing was
 * done, so any request may simply be sent again; one second is about how long the requests ahead of it take to drain.
 */
public class ServiceOverloadedProblem extends ProblemException {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    public ServiceOverloadedProblem() {
        super("service-overloaded", "Service overloaded", 503,
                "The service is busy with other requests; nothing was done, try again shortly");
    }

    @Override
    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
