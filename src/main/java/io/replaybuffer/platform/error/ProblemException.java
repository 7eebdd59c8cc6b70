package io.replaybuffer.platform.error;

import java.time.Duration;
import java.util.Map;

/**
 * Base of every error that means something to a client. Each meaning is its own subclass (next to the feature that
 * raises it); {@link ProblemMapper} alone turns them into problem+json. The message is the client-facing detail, so it
 * must never carry paths, SQL or internals.
 */
public abstract class ProblemException extends RuntimeException {

    protected ProblemException(String detail) {
        super(detail, null, false, false);
    }

    protected ProblemException(String detail, Throwable cause) {
        super(detail, cause, false, false);
    }

    /** Short slug, also the problem's {@code type}: {@code quota-exceeded}, {@code not-found}, ... */
    public abstract String type();

    public abstract String title();

    public abstract int status();

    /** Extra members of the problem document, such as {@code availableSeconds}. */
    public Map<String, Object> extensions() {
        return Map.of();
    }

    /** When set, the client is told to come back after this long ({@code Retry-After} and {@code retryAfterSeconds}). */
    public Duration retryAfter() {
        return null;
    }
}
