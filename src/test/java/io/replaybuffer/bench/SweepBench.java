package io.replaybuffer.bench;

import io.replaybuffer.cleanup.SegmentSweep;
import io.replaybuffer.cleanup.SweepDecision;
import io.replaybuffer.cleanup.SweepOutcome;
import io.replaybuffer.segment.HlsPlaylist;
import io.replaybuffer.segment.PlaylistWriter;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.segment.SegmentLayout;
import io.replaybuffer.testing.Trees;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sweep of issue 5 against {@code find -name '*.ts' ... -delete} on an identical tree: buffer
 * directories of 72 segments of 10 s, about a third of them older than the 8-minute window. Both must delete the
 * same files; the sweep also keeps the playlists right and measures what it keeps.
 */
final class SweepBench implements Benchmarks.Benchmark {

    private static final int SEGMENTS = 72;
    private static final int SECONDS = 10;
    private static final Duration WINDOW = Duration.ofMinutes(8);

    /** Kept reachable while retained heap is measured, as the running service keeps it. */
    private SegmentIndex held;

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public String run() throws Exception {
        // The service sweeps every minute, so its sweep code is compiled: warm up on a small tree first, as find's
        // binary is warm in the page cache after its first run. The 1,000-buffer tree is cheap to build: the median
        // of three rounds (each on fresh trees) absorbs this machine's noise.
        measure(200);
        List<Row> rounds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rounds.add(measure(1_000));
        }
        rounds.sort(java.util.Comparator.comparingDouble(r -> r.sweep / r.find));
        Row one = rounds.get(1);
        Row ten = measure(10_000);
        StringBuilder out = new StringBuilder("""
                ## Cleanup sweep: 1,000 and 10,000 buffers of 72 segments

                Workload: buffer directories of 72 segments of 10 s with main and live playlists, about a third of
                each older than an 8-minute window (segment files of 1 KiB: deleting is metadata work either way).
                Peer on an identical tree in the same run: `find <root> -name '*.ts' ! -newermt @<cutoff> -delete`,
                the issue's `-mmin +8` with the cutoff as an exact instant (`-mmin` counts whole minutes from its own
                start, seconds after the sweep's, so the edge segment would differ). Both delete the same files; the
                sweep also decides by playlist time, trims the playlists and adds up what it keeps.
                After a warm-up sweep (the service's sweep runs every minute, so it is JIT-compiled); 1,000 buffers:
                median ratio of three rounds on fresh trees (all three: %s); 10,000 buffers: one round.

                | tree | files deleted | sweep | find -delete | **ratio** (target ≤ 1.5) | heap growth (after GC) | allocated, all short-lived |
                |---|---|---|---|---|---|---|
                """.formatted(rounds.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.sweep / r.find))
                        .collect(java.util.stream.Collectors.joining(", "))));
        for (Row row : new Row[] {one, ten}) {
            out.append(String.format(Locale.ROOT, "| %,d × 72 = %,d files | %,d | %.3f s | %.3f s | **%.2f** | %.2f MiB | %.1f MiB |%n",
                    row.files / SEGMENTS, row.files, row.deleted, row.sweep, row.find, row.sweep / row.find,
                    Math.max(0, row.growth) / 1048576.0, row.allocated / 1048576.0)); // a GC may leave less than before
        }
        out.append(String.format(Locale.ROOT, """

                Memory stays flat: the sweep holds one directory entry at a time; what it allocates is short-lived
                garbage in proportion to the files it visits (%.0f bytes a file at 10,000 buffers), never a listing.
                """, (double) ten.allocated / ten.files));
        return out.toString();
    }

    private record Row(int files, long deleted, double sweep, double find, long allocated, long growth) {
    }

    private Row measure(int buffers) throws Exception {
        Path base = Files.createTempDirectory("bench-sweep");
        Path ours = base.resolve("ours");
        Path theirs = base.resolve("find");
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        tree(ours, buffers, now);
        tree(theirs, buffers, now);
        new ProcessBuilder("sync").start().waitFor();

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long retainedBefore = retained();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        held = new SegmentIndex(ours); // the service keeps its index (and its playlist cache) between sweeps
        SweepOutcome outcome = new SegmentSweep(ours, held).sweep(dir -> new SweepDecision.KeepWindow(WINDOW, List.of(SegmentLayout.Attempt.FIRST)), now);
        double sweep = (System.nanoTime() - t0) / 1e9;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long growth = retained() - retainedBefore;

        // The sweep keeps what ends at or after newest - window (newest = now - 5 s); find deletes mtime <= cutoff.
        long cutoff = now.minusSeconds(5).minus(WINDOW).getEpochSecond() - 1;
        long t1 = System.nanoTime();
        Process find = new ProcessBuilder("find", theirs.toString(), "-name", "*.ts", "!", "-newermt", "@" + cutoff,
                "-delete").inheritIO().start();
        if (find.waitFor() != 0) {
            throw new IllegalStateException("find failed");
        }
        double findSeconds = (System.nanoTime() - t1) / 1e9;
        long left;
        try (var files = Files.walk(theirs)) {
            left = files.filter(f -> f.toString().endsWith(".ts")).count();
        }
        long findDeleted = (long) buffers * SEGMENTS - left;
        if (findDeleted != outcome.filesDeleted()) {
            throw new IllegalStateException("find deleted " + findDeleted + ", the sweep " + outcome.filesDeleted());
        }
        Trees.deleteTree(base);
        return new Row(buffers * SEGMENTS, outcome.filesDeleted(), sweep, findSeconds, allocated, growth);
    }

    /** Heap in use once the garbage is collected: what the sweep really keeps. */
    private static long retained() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Segment k (of 72) ends (72 - k) × 10 + 5 seconds before now: no file sits on find's minute boundary. */
    private static void tree(Path root, int buffers, Instant now) throws Exception {
        byte[] payload = new byte[1024];
        for (int b = 0; b < buffers; b++) {
            Path dir = Files.createDirectories(root.resolve(String.format("buffer-%05d", b)));
            List<HlsPlaylist.Entry> entries = new ArrayList<>(SEGMENTS);
            for (int k = 0; k < SEGMENTS; k++) {
                Instant end = now.minusSeconds((long) (SEGMENTS - k) * SECONDS - SECONDS + 5);
                String name = SegmentLayout.Attempt.FIRST.segment(k);
                Path file = dir.resolve(name);
                Files.write(file, payload);
                Files.setLastModifiedTime(file, FileTime.from(end));
                entries.add(new HlsPlaylist.Entry(name, end.minusSeconds(SECONDS), SECONDS));
            }
            Files.writeString(dir.resolve(SegmentLayout.Attempt.FIRST.playlist()), PlaylistWriter.render(entries, 0, true, false));
            Files.writeString(dir.resolve(SegmentLayout.Attempt.FIRST.livePlaylist()),
                    PlaylistWriter.render(entries.subList(SEGMENTS - 5, SEGMENTS), SEGMENTS - 5, false, false));
        }
    }
}
