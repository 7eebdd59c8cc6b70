package io.replaybuffer.platform.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Health as metrics, which is what alerts can see. {@code replay_buffer_ready}: 1 while every readiness check
 * (database, volumes) passes, 0 when one fails; Kubernetes only acts on readiness (it stops routing to the pod) and
 * tells nobody. {@code replay_buffer_dependency_up{dependency}}: 1 or 0 per check of the dependencies group (Redis,
 * LiveKit), which never affect readiness. Checked on their own schedule, so a scrape never waits on the database.
 */
@ApplicationScoped
public class HealthGauges {

    private final SmallRyeHealthReporter health;
    private final MeterRegistry registry;
    private final AtomicReference<Double> ready = new AtomicReference<>(Double.NaN); // unknown until first check
    private final Map<String, AtomicReference<Double>> dependencies = new ConcurrentHashMap<>();

    HealthGauges(SmallRyeHealthReporter health, MeterRegistry registry) {
        this.health = health;
        this.registry = registry;
        Gauge.builder("replay_buffer_ready", ready, AtomicReference::get)
                .description("1 when all readiness checks pass (database, segment and clip volumes), 0 when one fails")
                .register(registry);
    }

    @Scheduled(identity = "health-gauges", every = "15s", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void check() {
        ready.set(health.getReadiness().isDown() ? 0.0 : 1.0);
        SmallRyeHealth group = health.getHealthGroup(HealthGroups.DEPENDENCIES);
        for (JsonValue value : group.getPayload().getJsonArray("checks")) {
            JsonObject check = value.asJsonObject();
            dependency(check.getString("name")).set("UP".equals(check.getString("status")) ? 1.0 : 0.0);
        }
    }

    private AtomicReference<Double> dependency(String name) {
        return dependencies.computeIfAbsent(name, n -> {
            AtomicReference<Double> up = new AtomicReference<>(Double.NaN);
            Gauge.builder("replay_buffer_dependency_up", up, AtomicReference::get).tag("dependency", n)
                    .description("1 when a dependency this replica can serve without (Redis, LiveKit) answers, 0 when not")
                    .register(registry);
            return up;
        });
    }
}
