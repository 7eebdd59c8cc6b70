package io.replaybuffer.platform.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code replay_buffer_ready}: 1 while every readiness check passes, 0 when one fails. Kubernetes only acts on
 * readiness (it stops routing to the pod) and tells nobody; this gauge lets the "service not ready" alert see it.
 * It runs the same checks as {@code /q/health/ready}, on its own schedule so a scrape never waits on the database.
 */
@ApplicationScoped
public class ReadinessGauge {

    private final SmallRyeHealthReporter health;
    private final AtomicReference<Double> ready = new AtomicReference<>(Double.NaN); // unknown until first check

    ReadinessGauge(SmallRyeHealthReporter health, MeterRegistry registry) {
        this.health = health;
        Gauge.builder("replay_buffer_ready", ready, AtomicReference::get)
                .description("1 when all readiness checks pass (database, Redis, volumes), 0 when one fails")
                .register(registry);
    }

    @Scheduled(identity = "readiness-gauge", every = "15s", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void check() {
        ready.set(health.getReadiness().isDown() ? 0.0 : 1.0);
    }
}
