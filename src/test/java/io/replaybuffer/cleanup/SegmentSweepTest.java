package io.replaybuffer.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.replaybuffer.segment.HlsPlaylist;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.segment.SegmentLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep on real files in a temporary folder, with time given explicitly (no sleeps, no wall clock). */
class SegmentSweepTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @TempDir
    Path root;
    private SegmentSweep sweep;

    @BeforeEach
    void setUp() {
        sweep = new SegmentSweep(root, new SegmentIndex(root));
    }

    @Test
    void keepsTheWindowToTheExactBoundary() throws Exception {
        Path dir = SweepFixtures.buffer(root, "b1", T0, 10, 10, 100); // 0..100 s
        Instant now = T0.plusSeconds(100);
        Duration window = Duration.ofSeconds(40); // 30 s buffer + one segment: cutoff at 60 s
        SweepOutcome outcome = sweep.sweep(name -> new SweepDecision.KeepWindow(window), now);
        // Segment 5 ends exactly at the cutoff, so it has not ended before it and stays; 0-4 go.
        assertThat(Files.exists(dir.resolve("seg-r0_00004.ts"))).isFalse();
        assertThat(Files.exists(dir.resolve("seg-r0_00005.ts"))).isTrue();
        assertThat(outcome.filesDeleted()).isEqualTo(5);
        assertThat(outcome.bytesDeleted()).isEqualTo(500);
        assertThat(outcome.bytesKept()).isEqualTo(500 + Files.size(dir.resolve("playlist-r0.m3u8"))
                + Files.size(dir.resolve("live-r0.m3u8")));

        // With the edge one nanosecond later, segment 5 has left the window too.
        sweep.sweep(name -> new SweepDecision.KeepWindow(window.minusNanos(1)), now);
        assertThat(Files.exists(dir.resolve("seg-r0_00005.ts"))).isFalse();
        assertThat(Files.exists(dir.resolve("seg-r0_00006.ts"))).isTrue();
    }

    @Test
    void playlistsNeverPointAtDeletedSegments() throws Exception {
        Path dir = SweepFixtures.buffer(root, "b1", T0, 10, 10, 10);
        sweep.sweep(name -> new SweepDecision.KeepWindow(Duration.ofSeconds(40)), T0.plusSeconds(100));
        HlsPlaylist main = HlsPlaylist.read(dir.resolve(SegmentLayout.playlistName(0)));
        assertThat(main.entries()).extracting(HlsPlaylist.Entry::uri).first().isEqualTo("seg-r0_00005.ts");
        for (HlsPlaylist.Entry entry : main.entries()) {
            assertThat(dir.resolve(entry.uri())).exists();
        }
        assertThat(Files.readString(dir.resolve("playlist-r0.m3u8"))).contains("#EXT-X-MEDIA-SEQUENCE:5");
    }

    @Test
    void aStalledBufferKeepsItsLastWindow() throws Exception {
        Path dir = SweepFixtures.buffer(root, "b1", T0, 10, 10, 10);
        // An hour later nothing new has come: the last 40 s (segments 5-9, 5 ending at the edge) are still what
        // a capture would take.
        sweep.sweep(name -> new SweepDecision.KeepWindow(Duration.ofSeconds(40)), T0.plusSeconds(3700));
        assertThat(SweepFixtures.count(dir, ".ts")).isEqualTo(5);
    }

    @Test
    void stoppedBuffersGoWholeAndOrphansAfterTheirGrace() throws Exception {
        Path stopped = SweepFixtures.buffer(root, "stopped", T0, 3, 10, 10);
        Path orphan = SweepFixtures.buffer(root, "orphan", T0, 3, 10, 10);
        Path freshOrphan = SweepFixtures.buffer(root, "fresh", T0, 3, 10, 10);
        Files.setLastModifiedTime(orphan, FileTime.from(T0));
        Files.setLastModifiedTime(freshOrphan, FileTime.from(T0.plusSeconds(3000)));
        Instant now = T0.plusSeconds(3600);
        SweepOutcome outcome = sweep.sweep(name -> switch (name) {
            case "stopped" -> new SweepDecision.DeleteAll();
            default -> new SweepDecision.Orphan(Duration.ofMinutes(15));
        }, now);
        assertThat(stopped).doesNotExist();
        assertThat(orphan).doesNotExist();
        assertThat(freshOrphan).exists();
        assertThat(outcome.directoriesDeleted()).isEqualTo(2);
    }

    @Test
    void neverEntersCaptureFoldersOrOtherFiles() throws Exception {
        Path captures = Files.createDirectories(root.resolve(".captures").resolve("clip-1"));
        Files.write(captures.resolve("seg-r0_00000.ts"), new byte[10]);
        Files.writeString(root.resolve("README"), "not ours");
        sweep.sweep(name -> new SweepDecision.DeleteAll(), T0.plusSeconds(999_999));
        assertThat(captures.resolve("seg-r0_00000.ts")).exists();
        assertThat(root.resolve("README")).exists();
    }

    @Test
    void filesVanishingDuringTheWalkDoNotStopIt() throws Exception {
        List<Path> dirs = List.of(SweepFixtures.buffer(root, "a", T0, 10, 10, 10),
                SweepFixtures.buffer(root, "b", T0, 10, 10, 10), SweepFixtures.buffer(root, "c", T0, 10, 10, 10));
        // Whoever else touches the volume (another tool, an operator) removes things while we walk it.
        SweepOutcome outcome = sweep.sweep(name -> {
            try {
                for (Path dir : dirs) {
                    if (Files.isDirectory(dir)) {
                        try (var files = Files.list(dir)) {
                            files.filter(f -> f.toString().endsWith("3.ts") || f.toString().endsWith("8.ts"))
                                    .forEach(f -> f.toFile().delete());
                        }
                    }
                }
                if (name.equals("b")) {
                    io.replaybuffer.testing.Trees.deleteTree(root.resolve("b"));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new SweepDecision.KeepWindow(Duration.ofSeconds(40));
        }, T0.plusSeconds(100));
        assertThat(outcome.filesDeleted()).isPositive();
        assertThat(dirs.get(0).resolve("seg-r0_00009.ts")).exists();
    }

    @Test
    void anOldUnlistedSegmentOfALostAttemptGoes() throws Exception {
        Path dir = SweepFixtures.buffer(root, "b1", T0, 10, 10, 10);
        Path lost = dir.resolve("seg-r1_00000.ts"); // a retry that died before writing any playlist
        Files.write(lost, new byte[10]);
        Files.setLastModifiedTime(lost, FileTime.from(T0));
        sweep.sweep(name -> new SweepDecision.KeepWindow(Duration.ofSeconds(40)), T0.plusSeconds(100));
        assertThat(lost).doesNotExist();
    }
}
