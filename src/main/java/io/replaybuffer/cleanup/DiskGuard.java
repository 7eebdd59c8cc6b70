package io.replaybuffer.cleanup;

import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.storage.StorageRoots;
import io.replaybuffer.platform.storage.VolumeUsage;
import io.replaybuffer.segment.SegmentLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the segments volume from filling up when windows alone are not enough (more buffers than planned, a slow
 * NFS): above the high-water mark it trims buffers, the one holding the oldest footage first, down to the minimum
 * window, until use drops below the mark. Captures already made are hard links and unaffected; above the critical
 * mark new buffers are refused.
 */
@ApplicationScoped
public class DiskGuard {

    private static final Logger LOG = Logger.getLogger(DiskGuard.class);

    /** A live buffer the guard may trim: its folder, its egress attempts, the start of its oldest footage. */
    public record Candidate(String dir, List<SegmentLayout.Attempt> attempts, Instant oldest) {
    }

    private final Path segments;
    private final int highWaterPercent;
    private final int minWindowSeconds;
    private final int segmentSeconds;

    @jakarta.inject.Inject
    DiskGuard(StorageRoots roots, ReplayConfig config) {
        this(roots.segments(), config.cleanup().highWaterPercent(), config.cleanup().minWindowSeconds(),
                config.segmentDurationSeconds());
    }

    DiskGuard(Path segments, int highWaterPercent, int minWindowSeconds, int segmentSeconds) {
        this.segments = segments;
        this.highWaterPercent = highWaterPercent;
        this.minWindowSeconds = minWindowSeconds;
        this.segmentSeconds = segmentSeconds;
    }

    /** Share of the segments volume in use, 0 to 1. */
    public double used() {
        return VolumeUsage.used(segments);
    }

    /** Trims candidates oldest first while {@code used} says the volume is above the high-water mark. */
    public int enforce(SegmentSweep sweep, Supplier<List<Candidate>> candidates, DoubleSupplier used, Instant now,
            CleanupMetrics metrics) throws IOException {
        double high = highWaterPercent / 100.0;
        if (used.getAsDouble() < high) {
            return 0;
        }
        Duration minimum = Duration.ofSeconds(minWindowSeconds + segmentSeconds);
        int trimmed = 0;
        long freed = 0;
        for (Candidate candidate : candidates.get().stream().sorted((a, b) -> a.oldest().compareTo(b.oldest())).toList()) {
            if (used.getAsDouble() < high) {
                break;
            }
            SweepOutcome outcome;
            try {
                outcome = sweep.trim(candidate.dir(), new SweepDecision.KeepWindow(minimum, candidate.attempts()), now);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("disk guard could not trim %s (%s); trying the next buffer", candidate.dir(), e.toString());
                continue;
            }
            metrics.guardTrimmed(1, outcome);
            freed += outcome.bytesDeleted();
            trimmed++;
        }
        LOG.errorf("segment volume above %d%% used: trimmed %d buffers to %d s, freed %d MB; now %.0f%% used",
                highWaterPercent, trimmed, minWindowSeconds, freed >> 20, used.getAsDouble() * 100);
        return trimmed;
    }
}
