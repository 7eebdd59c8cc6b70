package io.replaybuffer.platform.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One event's delivery to one endpoint, as operators see it: where it stands and every attempt with what came back.
 * {@code webhookId} is the {@code webhook-id} header the receiver saw; the endpoint is shown without user info or query.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(String id, String webhookId, String type, String endpoint, String status,
        Instant createdAt, int attemptCount, Instant nextAttemptAt, Instant giveUpAt, Instant finishedAt,
        String lastError, List<Attempt> attempts) {

    /** One attempt: an HTTP status, or the error that came instead; no {@code finishedAt} while in flight or cut short. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(int number, Instant startedAt, Instant finishedAt, Integer statusCode, String error) {
    }

    /** One page, newest first; {@code nextCursor} is null on the last page. */
    public record Page(List<DeliveryView> items, String nextCursor) {
    }
}
