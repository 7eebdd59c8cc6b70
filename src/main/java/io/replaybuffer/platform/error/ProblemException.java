package io.replaybuffer.platform.error;

import java.time.Duration;
import java.util.Map;

/**
 * Base of every error that means something to a client. Each meaning is its own small subclass (next to the feature
 * that raises it) fixing its type, title and status; {@link ProblemMapper} alone turns them into problem+json.
 * The message is the client-facing detail, so it must never carry paths, SQL or internals.
 */
public abstract class ProblemException extends RuntimeException {

    private final String type;
    private final String title;
    private final int status;

    protected ProblemException(String type, String title, int status, String detail) {
        this(type, title, status, detail, null);
    }

    protected ProblemException(String type, String title, int status, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.type = type;
        this.title = title;
        this.status = status;
    }

    /** Short stable slug, also the problem's {@code type}: {@code quota-exceeded}, {@code not-found}, ... */
    public final String type() {
        return type;
    }

    public final String title() {
        return title;
    }

    public final int status() {
        return status;
    }

    /** Extra members of the problem document, such as {@code availableSeconds}. */
    public Map<String, Object> extensions() {
        return Map.of();
    }

    /** Extra response headers this problem needs (such as {@code Content-Range} on a 416). */
    public Map<String, String> headers() {
        return Map.of();
    }

    /** When set, the client is told to come back after this long ({@code Retry-After} and {@code retryAfterSeconds}). */
    public Duration retryAfter() {
        return null;
    }
}
