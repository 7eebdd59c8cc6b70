package io.replaybuffer.platform.webhook;

import java.time.Duration;

/**
 * What one attempt got: an HTTP status, or an error before any status (timeout, refused connection). {@code retryAfter}
 * is the receiver's Retry-After, when it sent one.
 */
record AttemptResult(Integer statusCode, String error, Duration retryAfter) {

    /** How the attempt is counted in {@code replay_buffer_webhook_attempts_total{result}}. */
    enum Kind {
        SUCCESS, HTTP_ERROR, TIMEOUT, CONNECTION_ERROR
    }

    static AttemptResult status(int code, Duration retryAfter) {
        return new AttemptResult(code, null, retryAfter);
    }

    static AttemptResult timeout(java.time.Duration after) {
        return new AttemptResult(null, "no answer within " + after.toMillis() + " ms", null);
    }

    static AttemptResult connection(String error) {
        return new AttemptResult(null, error, null);
    }

    boolean delivered() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    Kind kind() {
        if (statusCode != null) {
            return delivered() ? Kind.SUCCESS : Kind.HTTP_ERROR;
        }
        return error != null && error.startsWith("no answer") ? Kind.TIMEOUT : Kind.CONNECTION_ERROR;
    }

    /** One line for the delivery's {@code last_error}. */
    String summary() {
        return statusCode != null ? "HTTP " + statusCode : error;
    }
}
