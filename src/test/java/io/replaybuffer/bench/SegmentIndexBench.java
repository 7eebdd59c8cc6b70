package io.replaybuffer.bench;

import io.replaybuffer.segment.Footage;
import io.replaybuffer.segment.HlsPlaylist;
import io.replaybuffer.segment.PlaylistWriter;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.segment.SegmentLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What answering "what footage does this buffer have" costs for a directory of 10,000 segments (a 28-hour buffer
 * at 10 s segments that cleanup has not touched), cold (first read of the playlist) and warm (cached), against
 * the peer of merely listing the directory.
 */
final class SegmentIndexBench implements Benchmarks.Benchmark {

    private static final int SEGMENTS = 10_000;
    private static final int ROUNDS = 50;

    @Override
    public String name() {
        return "segment-index";
    }

    @Override
    public String run() throws Exception {
        Path root = Files.createTempDirectory("bench-index");
        Path dir = Files.createDirectories(root.resolve("buffer"));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<HlsPlaylist.Entry> entries = new ArrayList<>(SEGMENTS);
        byte[] payload = new byte[188];
        for (int i = 0; i < SEGMENTS; i++) {
            String name = SegmentLayout.Attempt.FIRST.segment(i);
            Files.write(dir.resolve(name), payload);
            entries.add(new HlsPlaylist.Entry(name, t0.plusSeconds(10L * i), 10));
        }
        Files.writeString(dir.resolve(SegmentLayout.Attempt.FIRST.playlist()), PlaylistWriter.render(entries, 0, true, false));
        Files.writeString(dir.resolve(SegmentLayout.Attempt.FIRST.livePlaylist()),
                PlaylistWriter.render(entries.subList(SEGMENTS - 5, SEGMENTS), SEGMENTS - 5, false, false));
        Duration window = Duration.ofMinutes(10);
        double playlistKib = Files.size(dir.resolve(SegmentLayout.Attempt.FIRST.playlist())) / 1024.0;

        long coldTotal = 0;
        long warmTotal = 0;
        long listTotal = 0;
        Footage footage = null;
        for (int round = 0; round < ROUNDS; round++) {
            SegmentIndex fresh = new SegmentIndex(root);
            long a = System.nanoTime();
            footage = fresh.footage("buffer", List.of(SegmentLayout.Attempt.FIRST), window);
            long b = System.nanoTime();
            fresh.footage("buffer", List.of(SegmentLayout.Attempt.FIRST), window);
            long c = System.nanoTime();
            long count;
            try (var files = Files.newDirectoryStream(dir)) {
                count = 0;
                for (Path ignored : files) {
                    count++;
                }
            }
            long d = System.nanoTime();
            if (round >= 5) { // the first rounds warm the JIT
                coldTotal += b - a;
                warmTotal += c - b;
                listTotal += d - c;
            }
            if (count < SEGMENTS) {
                throw new IllegalStateException("listing lost files");
            }
        }
        int measured = ROUNDS - 5;
        double cold = Benchmarks.millis(coldTotal) / measured;
        double warm = Benchmarks.millis(warmTotal) / measured;
        double list = Benchmarks.millis(listTotal) / measured;
        io.replaybuffer.testing.Trees.deleteTree(root);
        return String.format(Locale.ROOT, """
                ## Segment index: a folder of %,d segments

                Workload: one buffer directory with %,d segments listed in its main playlist (%.0f KiB) and a live
                playlist; question asked: the footage of a 10-minute window (%d segments, %.0f s available).
                Peer: listing the directory once (`DirectoryStream`), which the index does not need to do.
                Mean of %d rounds after 5 warm-up rounds.

                | measure | ms | vs listing |
                |---|---|---|
                | cold (parse main playlist + stat the window) | %.2f | %.2fx |
                | warm (playlist unchanged, cached) | %.2f | %.2fx |
                | peer: list the directory | %.2f | 1x |
                """, SEGMENTS, SEGMENTS, playlistKib, footage.segments().size(),
                footage.availableSeconds(), measured, cold, cold / list, warm, warm / list, list);
    }
}
