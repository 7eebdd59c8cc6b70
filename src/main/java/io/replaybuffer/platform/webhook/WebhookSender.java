package io.replaybuffer.platform.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs one signed delivery to one endpoint and says what came back. The whole exchange, connecting included, is cut
 * off at the timeout (the request timeout alone stops at the response headers, and a receiver could trickle its
 * body). Redirects are not followed: the specification counts a 3xx as a failure to fix in the URL.
 */
final class WebhookSender {

    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;

    WebhookSender(Duration timeout, Executor executor, Clock clock) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Throws InterruptedException when the replica stops mid-attempt; the claim then runs out and any replica retries. */
    AttemptResult post(String url, String id, long timestamp, String signature, String body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", "replay-buffer-webhooks")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            HttpResponse<Void> response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return AttemptResult.status(response.statusCode(),
                    response.headers().firstValue("retry-after").map(this::retryAfter).orElse(null));
        } catch (TimeoutException e) {
            exchange.cancel(true); // closes the connection: the receiver must not get it later and count it twice
            return AttemptResult.timeout(timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return AttemptResult.timeout(timeout);
            }
            return AttemptResult.connection(describe(cause));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e; // the replica is stopping: this attempt tells nothing about the endpoint
        }
    }

    /** Retry-After as seconds or as an HTTP date; anything else is ignored. */
    private Duration retryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String describe(Throwable cause) {
        String kind = cause instanceof IOException ? "connection failed" : "request failed";
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return kind + ": " + (message.length() > 300 ? message.substring(0, 300) : message);
    }
}
