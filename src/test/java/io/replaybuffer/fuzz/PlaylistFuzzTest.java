package io.replaybuffer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.replaybuffer.cleanup.SegmentSweep;
import io.replaybuffer.cleanup.SweepDecision;
import io.replaybuffer.segment.Footage;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.segment.SegmentLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Random, truncated and hostile playlists on the egress volume go through the index and the sweep: the index answers
 * or fails with a clear I/O error, never anything else; the sweep never deletes a segment that no playlist lists as
 * ended before the window, and never touches anything outside the buffer's folder.
 */
class PlaylistFuzzTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final List<SegmentLayout.Attempt> REPORTED =
            List.of(SegmentLayout.Attempt.FIRST, SegmentLayout.Attempt.ofRetryCount(1));

    @FuzzTest(maxDuration = "30s")
    void hostilePlaylistsNeverBreakTheIndexOrLoseFootage(FuzzedDataProvider data) throws IOException {
        Path root = Files.createTempDirectory("fuzz-playlists");
        try {
            Path dir = Files.createDirectories(root.resolve("buffer"));
            Path outside = Files.writeString(root.resolve("outside.ts"), "not footage");
            for (int i = 0; i < 4; i++) {
                Files.write(dir.resolve(SegmentLayout.Attempt.FIRST.segment(i)), new byte[] {0x47, (byte) i});
                Files.setLastModifiedTime(dir.resolve(SegmentLayout.Attempt.FIRST.segment(i)),
                        java.nio.file.attribute.FileTime.from(Instant.now()));
            }
            String first = data.consumeString(4000);
            Files.writeString(dir.resolve(data.pickValue(new String[] {"playlist-r{retry}.m3u8", "live-r{retry}.m3u8",
                    "playlist-r1.m3u8"})), first, StandardCharsets.UTF_8);
            byte[] second = data.consumeRemainingAsBytes();
            Files.write(dir.resolve("live-r1.m3u8"), second);
            String evidence = first + new String(second, StandardCharsets.UTF_8);
            Map<String, Long> before = sizes(dir);

            SegmentIndex index = new SegmentIndex(root);
            try {
                Footage footage = index.footage("buffer", REPORTED, Duration.ofMinutes(10));
                assertThat(footage.segments()).allSatisfy(s -> assertThat(s.file().getParent()).isEqualTo(dir));
            } catch (UncheckedIOException expected) {
                // a clear I/O error is an answer; anything else is a bug
            }
            new SegmentSweep(root, index).sweep(name -> new SweepDecision.KeepWindow(Duration.ofMinutes(10), REPORTED),
                    T0.plusSeconds(60));
            // Segments whose wall clock is only claimed by a random playlist may go, but only if a listed entry
            // ended before the window; recent files (mtime now) named but unlisted stay. Nothing else goes.
            Map<String, Long> after = sizes(dir);
            before.keySet().stream().filter(name -> !name.endsWith(".ts")).forEach(name ->
                    assertThat(after).as("only segments are deleted").containsKey(name));
            for (int i = 0; i < 4; i++) {
                if (!after.containsKey(SegmentLayout.Attempt.FIRST.segment(i))) {
                    int deleted = i;
                    assertThat(java.util.stream.IntStream.range(deleted, 100).anyMatch(k ->
                            evidence.contains(SegmentLayout.Attempt.FIRST.segment(k))))
                            .as("segment %d deleted with no playlist entry at or after it", deleted).isTrue();
                }
            }
            assertThat(outside).exists().hasContent("not footage");
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static Map<String, Long> sizes(Path dir) throws IOException {
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                sizes.put(file.getFileName().toString(), Files.size(file));
            }
        }
        return sizes;
    }
}
