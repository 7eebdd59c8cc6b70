package io.replaybuffer.platform.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing webhooks to the game platform's backend (Standard Webhooks). Nothing is written or sent while
 * REPLAY_WEBHOOK_URLS is unset.
 *
 * <p>The {@code replay.webhook.*} group of {@link ReplayConfig} ({@code REPLAY_WEBHOOK_*}).
 */
public interface WebhookSettings {
    /** REPLAY_WEBHOOK_URLS: the endpoints (http or https), comma-separated; each gets every event. */
    Optional<List<java.net.URI>> urls();

    /** REPLAY_WEBHOOK_SECRET: {@code whsec_} + base64 of the signing key; required when there are endpoints. */
    Optional<String> secret();

    /** REPLAY_WEBHOOK_TIMEOUT: how long an attempt waits for its answer before it counts as failed. */
    @WithDefault("10s")
    Duration timeout();

    /** REPLAY_WEBHOOK_RETRY_FOR: how long after the event failed attempts are retried; then it is failed. */
    @WithDefault("24h")
    Duration retryFor();

    /** REPLAY_WEBHOOK_FIRST_RETRY_AFTER: the wait after the first failed attempt; it doubles after each. */
    @WithDefault("5s")
    Duration firstRetryAfter();

    /** REPLAY_WEBHOOK_MAX_RETRY_AFTER: the longest wait between two attempts. */
    @WithDefault("2h")
    Duration maxRetryAfter();

    /** REPLAY_WEBHOOK_CONCURRENCY: attempts in flight at once per endpoint on one replica. */
    @WithDefault("4")
    @Min(1) @Max(64)
    int concurrency();

    /** REPLAY_WEBHOOK_POLL_EVERY: how often a replica looks for due deliveries (retries, other replicas' events). */
    @WithDefault("1s")
    Duration pollEvery();

    /** REPLAY_WEBHOOK_KEEP_DELIVERED: delivered rows are pruned this long after delivery. */
    @WithDefault("7d")
    Duration keepDelivered();

    /** REPLAY_WEBHOOK_KEEP_FAILED: failed rows stay longer, for operators to read. */
    @WithDefault("30d")
    Duration keepFailed();
}
