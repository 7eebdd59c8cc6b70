package io.replaybuffer.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.replaybuffer.segment.SegmentIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk guard trims the buffer with the oldest footage first, to the minimum window, until under the mark. */
class DiskGuardTest {

    /** What egress reported for these buffers: a first attempt, its names with a literal {retry}. */
    private static final java.util.List<io.replaybuffer.segment.SegmentLayout.Attempt> FIRST =
            java.util.List.of(io.replaybuffer.segment.SegmentLayout.Attempt.FIRST);

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @TempDir
    Path root;

    @Test
    void trimsOldestFirstUntilBelowTheHighWaterMark() throws Exception {
        // Three buffers of 60 segments (10 MB each); the volume "holds" 32 MB, so it is 94% full.
        SweepFixtures.buffer(root, "oldest", T0, 60, 10, 170_000);
        SweepFixtures.buffer(root, "middle", T0.plusSeconds(60), 60, 10, 170_000);
        SweepFixtures.buffer(root, "newest", T0.plusSeconds(120), 60, 10, 170_000);
        long capacity = 32L << 20;
        DoubleSupplier used = () -> bytesUnder(root) / (double) capacity;
        assertThat(used.getAsDouble()).isGreaterThan(0.85);

        DiskGuard guard = new DiskGuard(root, 85, 60, 10);
        SegmentSweep sweep = new SegmentSweep(root, new SegmentIndex(root));
        int trimmed = guard.enforce(sweep, () -> List.of(new DiskGuard.Candidate("newest", FIRST, T0.plusSeconds(120)),
                new DiskGuard.Candidate("oldest", FIRST, T0), new DiskGuard.Candidate("middle", FIRST, T0.plusSeconds(60))),
                used, T0.plusSeconds(720), new CleanupMetrics(new SimpleMeterRegistry(), T0, Duration.ofMinutes(1)));

        assertThat(trimmed).isEqualTo(1);
        assertThat(used.getAsDouble()).isLessThan(0.85);
        // Trimmed to 60 s + one segment before its newest footage: segments 52-59 (52 ends exactly at the edge).
        assertThat(SweepFixtures.count(root.resolve("oldest"), ".ts")).as("oldest trimmed to the minimum window")
                .isEqualTo(8);
        assertThat(SweepFixtures.count(root.resolve("newest"), ".ts")).isEqualTo(60);
        assertThat(SweepFixtures.count(root.resolve("middle"), ".ts")).isEqualTo(60);
    }

    private static long bytesUnder(Path root) {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
