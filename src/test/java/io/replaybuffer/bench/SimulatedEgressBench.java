package io.replaybuffer.bench;

import io.replaybuffer.egress.simulated.SegmentedRecording;
import io.replaybuffer.segment.SegmentLayout;
import io.replaybuffer.egress.simulated.TestPatternEncoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/** CPU one simulated egress costs: CPU seconds spent per second of footage it writes (a fraction of one core). */
final class SimulatedEgressBench implements Benchmarks.Benchmark {

    private static final int SEGMENTS = 6;
    private static final int SECONDS = 10;

    @Override
    public String name() {
        return "simulated-egress";
    }

    @Override
    public String run() throws Exception {
        Path dir = Files.createTempDirectory("bench-sim");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        TestPatternEncoder encoder = new TestPatternEncoder(TestPatternEncoder.Format.SIMULATED);
        new SegmentedRecording(dir.resolve("warmup"), SegmentLayout.Attempt.FIRST, encoder).append(Instant.now(), 2); // loads natives, JIT
        SegmentedRecording recording = new SegmentedRecording(dir.resolve("buffer"), SegmentLayout.Attempt.FIRST, encoder);
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < SEGMENTS; i++) {
            recording.append(Instant.now().plusSeconds((long) i * SECONDS), SECONDS);
        }
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        double footage = SEGMENTS * SECONDS;
        long bytes;
        try (var files = Files.list(dir.resolve("buffer"))) {
            bytes = files.filter(p -> p.toString().endsWith(".ts")).mapToLong(p -> p.toFile().length()).sum();
        }
        io.replaybuffer.testing.Trees.deleteTree(dir);
        TestPatternEncoder.Format f = TestPatternEncoder.Format.SIMULATED;
        return String.format(Locale.ROOT, """
                ## Simulated egress: CPU per buffer

                Workload: %d segments of %d s (%dx%d at %d fps, H.264 %d kbit/s + AAC), encoded on one thread.
                Peer: real time (a buffer must produce %d s of footage every %d s).

                | measure | value |
                |---|---|
                | CPU time for %.0f s of footage | %.2f s |
                | **CPU per buffer** (CPU s per footage s) | **%.3f of one core** (%.1f %%) |
                | wall time / real time | %.3f |
                | bytes written per second of footage | %.0f KiB |
                | buffers one core sustains | %.0f |
                """, SEGMENTS, SECONDS, f.width(), f.height(), f.fps(), f.videoBitrate() / 1000, SECONDS, SECONDS,
                footage, cpu, cpu / footage, 100 * cpu / footage, wall / footage, bytes / footage / 1024,
                Math.floor(footage / cpu));
    }
}
