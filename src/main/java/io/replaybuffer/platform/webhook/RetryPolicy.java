package io.replaybuffer.platform.webhook;

import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What follows a failed attempt: exponential back-off from REPLAY_WEBHOOK_FIRST_RETRY_AFTER, doubling up to
 * REPLAY_WEBHOOK_MAX_RETRY_AFTER, with ±20% jitter so that deliveries that failed together (an endpoint's outage) do
 * not all come back in the same second. A longer Retry-After from the receiver is honoured. The last attempt is at the
 * delivery's give-up time; when that one fails too, the delivery is failed. Not SmallRye Fault Tolerance's
 * {@code @Retry}: these retries span hours and restarts and may run on any replica, so their schedule lives in the
 * outbox rows rather than in a waiting thread.
 */
@Singleton
class RetryPolicy {

    /** The next attempt's time, or empty when the delivery is failed for good. */
    record Next(Instant at) {
        boolean failed() {
            return at == null;
        }
    }

    /** 410 Gone: the receiver says it wants no more of these (Standard Webhooks, "Delivery success and failure"). */
    static final int GONE = 410;

    private final Duration first;
    private final Duration max;

    @Inject
    RetryPolicy(ReplayConfig config) {
        this(config.webhook().firstRetryAfter(), config.webhook().maxRetryAfter());
    }

    RetryPolicy(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    /** After failed attempt number {@code attempt} (1 for the first), at {@code now}. */
    Next after(int attempt, AttemptResult result, Instant now, Instant giveUpAt) {
        if (!now.isBefore(giveUpAt) || (result.statusCode() != null && result.statusCode() == GONE)) {
            return new Next(null);
        }
        Duration wait = backoff(attempt, ThreadLocalRandom.current().nextDouble(-0.2, 0.2));
        if (result.retryAfter() != null && result.retryAfter().compareTo(wait) > 0) {
            wait = result.retryAfter().compareTo(max) > 0 ? max : result.retryAfter();
        }
        Instant at = now.plus(wait);
        return new Next(at.isAfter(giveUpAt) ? giveUpAt : at);
    }

    /** The wait after attempt {@code attempt}, with {@code jitter} a fraction in [-0.2, 0.2). */
    Duration backoff(int attempt, double jitter) {
        int doublings = Math.min(attempt - 1, 40); // 2^40 times any sane first delay is past any cap
        double millis = Math.min(first.toMillis() * Math.pow(2, doublings), max.toMillis());
        return Duration.ofMillis(Math.max(1, Math.round(millis * (1 + jitter))));
    }
}
