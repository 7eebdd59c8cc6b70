package io.replaybuffer.platform.webhook;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Webhook meters: deliveries by final outcome, attempts by result, event-to-delivery latency, and the age of the
 * oldest event some endpoint still waits for (every replica reports the same database-wide figure; alerts take the
 * max). All are registered at start-up, so they exist before the first event.
 */
@Singleton
public class WebhookMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer latency;
    /** When the oldest pending event happened, as last read; null when none is pending. */
    private final AtomicReference<Instant> oldestPending = new AtomicReference<>();

    WebhookMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        for (String outcome : new String[] {"delivered", "failed"}) {
            deliveries(outcome);
        }
        for (AttemptResult.Kind kind : AttemptResult.Kind.values()) {
            attempts(kind);
        }
        this.latency = Timer.builder("replay_buffer_webhook_delivery_latency_seconds")
                .description("Time from the event to its 2xx answer, retries included")
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
                        Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2))
                .register(registry);
        Gauge.builder("replay_buffer_webhook_oldest_pending_seconds", this, WebhookMetrics::oldestPendingSeconds)
                .description("Age of the oldest event not yet delivered to every endpoint (0 when none)")
                .register(registry);
    }

    void attempted(AttemptResult result) {
        attempts(result.kind()).increment();
    }

    void delivered(Instant eventAt) {
        deliveries("delivered").increment();
        latency.record(Duration.between(eventAt, clock.instant()));
    }

    void failed(int count) {
        deliveries("failed").increment(count);
    }

    void oldestPending(Instant eventAt) {
        oldestPending.set(eventAt);
    }

    double oldestPendingSeconds() {
        Instant at = oldestPending.get();
        return at == null ? 0 : Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0);
    }

    private io.micrometer.core.instrument.Counter deliveries(String outcome) {
        return registry.counter("replay_buffer_webhook_deliveries_total", "outcome", outcome);
    }

    private io.micrometer.core.instrument.Counter attempts(AttemptResult.Kind kind) {
        return registry.counter("replay_buffer_webhook_attempts_total", "result", kind.name().toLowerCase(Locale.ROOT));
    }
}
