package io.replaybuffer.cleanup;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.configuration.DurationConverter;
import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What the sweep and the disk guard did: runs, deletions, duration, last success, temp bytes, disk use. */
@ApplicationScoped
public class CleanupMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final AtomicLong tempBytes = new AtomicLong();
    private final AtomicLong lastSuccess;
    private final AtomicReference<Double> diskUsed = new AtomicReference<>(0.0);

    @Inject
    CleanupMetrics(MeterRegistry registry, Clock clock, ReplayConfig config) {
        this(registry, clock.instant(), DurationConverter.parseDuration(config.cleanup().every()));
    }

    public CleanupMetrics(MeterRegistry registry, Instant startedAt, Duration interval) {
        this.registry = registry;
        // Starts at the process start, not 0: the "sweep not succeeding for 3 intervals" alert then means exactly
        // that after a deploy too, instead of firing for every replica that has not swept yet.
        this.lastSuccess = new AtomicLong(startedAt.getEpochSecond());
        // Published so alert rules measure "3 intervals" against the interval really configured.
        Gauge.builder("replay_buffer_cleanup_interval_seconds", interval, Duration::toSeconds)
                .description("How often the segment sweep is scheduled (REPLAY_CLEANUP_EVERY)").register(registry);
        this.duration = Timer.builder("replay_buffer_cleanup_duration_seconds")
                .description("Time one segment sweep took").register(registry);
        Gauge.builder("replay_buffer_storage_bytes", tempBytes, AtomicLong::get)
                .description("Bytes stored: permanent clips, and temp segments (kept by the sweep)")
                .tag("type", "temp").register(registry);
        Gauge.builder("replay_buffer_cleanup_last_success_timestamp_seconds", lastSuccess, AtomicLong::get)
                .description("When the last sweep finished successfully (Unix time)").register(registry);
        Gauge.builder("replay_buffer_segments_volume_used_ratio", diskUsed, AtomicReference::get)
                .description("Share of the segments volume in use (0-1)").register(registry);
        for (String outcome : new String[] {"success", "skipped", "failed"}) {
            registry.counter("replay_buffer_cleanup_runs_total", "outcome", outcome);
        }
        registry.counter("replay_buffer_cleanup_deleted_files_total");
        registry.counter("replay_buffer_cleanup_deleted_bytes_total");
        registry.counter("replay_buffer_cleanup_lock_contention_total");
        registry.counter("replay_buffer_disk_guard_trims_total");
    }

    public void swept(SweepOutcome outcome, Duration took, Instant at) {
        registry.counter("replay_buffer_cleanup_runs_total", "outcome", "success").increment();
        registry.counter("replay_buffer_cleanup_deleted_files_total").increment(outcome.filesDeleted());
        registry.counter("replay_buffer_cleanup_deleted_bytes_total").increment(outcome.bytesDeleted());
        registry.counter("replay_buffer_cleanup_problems_total", "kind", "folder_skipped")
                .increment(outcome.foldersFailed());
        duration.record(took);
        tempBytes.set(outcome.bytesKept());
        lastSuccess.set(at.getEpochSecond());
    }

    public void failed() {
        registry.counter("replay_buffer_cleanup_runs_total", "outcome", "failed").increment();
    }

    /** Another replica held the lease: this one skipped its turn. */
    public void contended() {
        registry.counter("replay_buffer_cleanup_runs_total", "outcome", "skipped").increment();
        registry.counter("replay_buffer_cleanup_lock_contention_total").increment();
    }

    public void diskUsed(double ratio) {
        diskUsed.set(ratio);
    }

    public void guardTrimmed(int buffers, SweepOutcome outcome) {
        registry.counter("replay_buffer_disk_guard_trims_total").increment(buffers);
        registry.counter("replay_buffer_cleanup_deleted_files_total").increment(outcome.filesDeleted());
        registry.counter("replay_buffer_cleanup_deleted_bytes_total").increment(outcome.bytesDeleted());
    }

    /** Something cleanup found wrong and repaired or could not repair: never silent. */
    public void problem(String kind) {
        registry.counter("replay_buffer_cleanup_problems_total", "kind", kind).increment();
    }
}
