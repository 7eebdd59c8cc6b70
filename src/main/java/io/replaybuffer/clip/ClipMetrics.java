package io.replaybuffer.clip;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's capture metrics: attempts, successes, errors by type, request-to-READY duration (buckets fine below
 * one second), and permanent storage in use.
 */
@ApplicationScoped
public class ClipMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final AtomicLong permanentBytes = new AtomicLong();

    ClipMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("replay_buffer_capture_duration_seconds")
                .description("Time from capture request to clip READY")
                .serviceLevelObjectives(Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(750), Duration.ofSeconds(1),
                        Duration.ofMillis(1500), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30))
                .register(registry);
        Gauge.builder("replay_buffer_storage_bytes", permanentBytes, AtomicLong::get)
                .description("Bytes stored: permanent clips, and temp segments (kept by the sweep)")
                .tag("type", "permanent").register(registry);
        registry.counter("replay_buffer_captures_total");
        registry.counter("replay_buffer_capture_attempts_total");
    }

    void atStartup(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start) {
        refreshStorage(); // a gauge read from the database is right from the first scrape, not the first change
    }

    public void attempt() {
        registry.counter("replay_buffer_capture_attempts_total").increment();
    }

    public void succeeded(Duration requestToReady) {
        registry.counter("replay_buffer_captures_total").increment();
        duration.record(requestToReady);
    }

    /** {@code replay_buffer_capture_errors_total{error_type}}: the problem type, or a build failure kind. */
    public void failed(String errorType) {
        registry.counter("replay_buffer_capture_errors_total", "error_type", errorType).increment();
    }

    /**
     * Re-reads the bytes of all READY clips: at start-up and on every cleanup sweep. Summed in the database (the
     * truth across replicas) once a minute rather than after every capture, which would cost a scan per clip.
     */
    public void refreshStorage() {
        QuarkusTransaction.joiningExisting().run(() -> {
            Number sum = (Number) Clip.getEntityManager()
                    .createQuery("select coalesce(sum(c.sizeBytes), 0) from Clip c where c.status = :ready")
                    .setParameter("ready", ClipStatus.READY).getSingleResult();
            permanentBytes.set(sum.longValue());
        });
    }

    /**
     * {@code replay_buffer_clip_packets_repaired_total{repair}}: packets a build gave a timestamp derived from their
     * neighbours ({@code derived}) or left out for want of one ({@code dropped}).
     */
    public void packetsRepaired(int derived, int dropped) {
        if (derived > 0) {
            registry.counter("replay_buffer_clip_packets_repaired_total", "repair", "derived").increment(derived);
        }
        if (dropped > 0) {
            registry.counter("replay_buffer_clip_packets_repaired_total", "repair", "dropped").increment(dropped);
        }
    }

    /** Size distribution of built clips, for capacity planning. */
    public void built(long bytes) {
        DistributionSummary.builder("replay_buffer_clip_size_bytes").baseUnit("bytes").register(registry).record(bytes);
    }
}
