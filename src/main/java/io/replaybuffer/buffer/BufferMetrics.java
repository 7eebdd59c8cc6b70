package io.replaybuffer.buffer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Buffer gauges read from the database, so every replica reports the same cluster-wide figure (dashboards take max):
 * {@code replay_buffer_active_sessions} and {@code replay_buffer_stalled_sessions}; plus reconcile corrections.
 */
@ApplicationScoped
public class BufferMetrics {

    private final MeterRegistry registry;
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong stalled = new AtomicLong();

    BufferMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("replay_buffer_active_sessions", active, AtomicLong::get)
                .description("Replay buffers recording now (status ACTIVE)").register(registry);
        Gauge.builder("replay_buffer_stalled_sessions", stalled, AtomicLong::get)
                .description("Active replay buffers with no new segment for several segment durations").register(registry);
    }

    void atStartup(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start) {
        refresh();
    }

    /** Re-reads the counts; called after state changes and by every reconcile pass. */
    public void refresh() {
        QuarkusTransaction.joiningExisting().run(() -> {
            active.set(ReplayBufferSession.count("status", BufferStatus.ACTIVE));
            stalled.set(ReplayBufferSession.count("status = ?1 and stalledSince is not null", BufferStatus.ACTIVE));
        });
    }

    /** {@code replay_buffer_reconcile_corrections_total{kind}}: drift the reconciler repaired. */
    public void corrected(String kind) {
        registry.counter("replay_buffer_reconcile_corrections_total", "kind", kind).increment();
    }

    /** {@code replay_buffer_reconcile_runs_total{outcome}}: passes this replica ran, skipped (another replica's turn), or failed. */
    public void reconcileRun(String outcome) {
        registry.counter("replay_buffer_reconcile_runs_total", "outcome", outcome).increment();
    }
}
