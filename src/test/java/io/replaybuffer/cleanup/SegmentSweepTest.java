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

    /** What egress reported for these buffers: a first attempt, its names with a literal {retry}. */
    private static final java.util.List<io.replaybuffer.segment.SegmentLayout.Attempt> FIRST =
            java.util.List.of(io.replaybuffer.segment.SegmentLayout.Attempt.FIRST);

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
        SweepOutcome outcome = sweep.sweep(name -> new SweepDecision.KeepWindow(window, FIRST), now);
        // Segment 5 ends exactly at the cutoff, so it has not ended before it and stays; 0-4 go.
        assertThat(Files.exists(dir.resolve("seg-r{retry}_00004.ts"))).isFalse();
        assertThat(Files.exists(dir.resolve("seg-r{retry}_00005.ts"))).isTrue();
        assertThat(outcome.filesDeleted()).isEqualTo(5);
        assertThat(outcome.bytesDeleted()).isEqualTo(500);
        assertThat(outcome.bytesKept()).isEqualTo(500 + Files.size(dir.resolve("playlist-r{retry}.m3u8"))
                + Files.size(dir.resolve("live-r{retry}.m3u8")));

        // With the edge one nanosecond later, segment 5 has left the window too.
        sweep.sweep(name -> new SweepDecision.KeepWindow(window.minusNanos(1), FIRST), now);
        assertThat(Files.exists(dir.resolve("seg-r{retry}_00005.ts"))).isFalse();
        assertThat(Files.exists(dir.resolve("seg-r{retry}_00006.ts"))).isTrue();
    }

    @Test
    void playlistsNeverPointAtDeletedSegments() throws Exception {
        Path dir = SweepFixtures.buffer(root, "b1", T0, 10, 10, 10);
        sweep.sweep(name -> new SweepDecision.KeepWindow(Duration.ofSeconds(40), FIRST), T0.plusSeconds(100));
        HlsPlaylist main = HlsPlaylist.read(dir.resolve(SegmentLayout.Attempt.FIRST.playlist()));
        assertThat(main.entries()).extracting(HlsPlaylist.Entry::uri).first().isEqualTo("seg-r{retry}_00005.ts");
        for (HlsPlaylist.Entry entry : main.entries()) {
            assertThat(dir.resolve(entry.uri())).exists();
        }
        assertThat(Files.readString(dir.resolve("playlist-r{retry}.m3u8"))).contains("#EXT-X-MEDIA-SEQUENCE:5");
    }

    @Test
    void aStalledBufferKeepsItsLastWindow() throws Exception {
        Path dir = SweepFixtures.buffer(root, "b1", T0, 10, 10, 10);
        // An hour later nothing new has come: the last 40 s (segments 5-9, 5 ending at the edge) are still what
        // a capture would take.
        sweep.sweep(name -> new SweepDecision.KeepWindow(Duration.ofSeconds(40), FIRST), T0.plusSeconds(3700));
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
        Files.write(captures.resolve("seg-r{retry}_00000.ts"), new byte[10]);
        Files.writeString(root.resolve("README"), "not ours");
        sweep.sweep(name -> new SweepDecision.DeleteAll(), T0.plusSeconds(999_999));
        assertThat(captures.resolve("seg-r{retry}_00000.ts")).exists();
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
            return new SweepDecision.KeepWindow(Duration.ofSeconds(40), FIRST);
        }, T0.plusSeconds(100));
        assertThat(outcome.filesDeleted()).isPositive();
        assertThat(dirs.get(0).resolve("seg-r{retry}_00009.ts")).exists();
    }

    @Test
    void anOldUnlistedSegmentOfALostAttemptGoes() throws Exception {
        Path dir = SweepFixtures.buffer(root, "b1", T0, 10, 10, 10);
        Path lost = dir.resolve("seg-r1_00000.ts"); // a retry that died before writing any playlist
        Files.write(lost, new byte[10]);
        Files.setLastModifiedTime(lost, FileTime.from(T0));
        sweep.sweep(name -> new SweepDecision.KeepWindow(Duration.ofSeconds(40), FIRST), T0.plusSeconds(100));
        assertThat(lost).doesNotExist();
    }

    /** The segments volume is written by egress pods: whatever is planted there must not reach beyond it. */
    @Test
    void linksOnTheVolumeAreUnlinkedNeverFollowed() throws Exception {
        Path precious = Files.createDirectories(root.resolveSibling(root.getFileName() + "-clips").resolve("ab"));
        Files.write(precious.resolve("clip.mp4"), new byte[100]);
        Files.setLastModifiedTime(precious.getParent(), FileTime.from(T0));
        // A folder named like a buffer that is a link to the clips, and links inside real buffer folders.
        Files.createSymbolicLink(root.resolve("orphan-link"), precious.getParent());
        Path dir = SweepFixtures.buffer(root, "b1", T0, 10, 10, 10);
        Files.createSymbolicLink(dir.resolve("seg-r{retry}_00000.ts.x"), precious.resolve("clip.mp4"));
        Files.delete(dir.resolve("seg-r{retry}_00001.ts"));
        Files.createSymbolicLink(dir.resolve("seg-r{retry}_00001.ts"), precious.resolve("clip.mp4"));
        Path doomed = SweepFixtures.buffer(root, "stopped", T0, 3, 10, 10);
        Files.createSymbolicLink(doomed.resolve("inside"), precious.getParent());

        sweep.sweep(name -> switch (name) {
            case "b1" -> new SweepDecision.KeepWindow(Duration.ofSeconds(40), FIRST);
            case "stopped" -> new SweepDecision.DeleteAll();
            default -> new SweepDecision.Orphan(Duration.ofMinutes(1));
        }, T0.plusSeconds(100));

        assertThat(precious.resolve("clip.mp4")).exists().hasSize(100);
        assertThat(dir.resolve("seg-r{retry}_00001.ts")).as("only regular files are acted on inside a live buffer")
                .isSymbolicLink();
        assertThat(dir.resolve("seg-r{retry}_00002.ts")).doesNotExist();
        assertThat(doomed).as("a finished buffer's folder goes whole: its links unlinked, not followed")
                .doesNotExist();
        assertThat(root.resolve("orphan-link")).as("a link is not a buffer folder: left alone, never entered")
                .isSymbolicLink();
    }

    @Test
    void oneBadFolderIsSkippedAndTheRestAreSwept() throws Exception {
        Path good = SweepFixtures.buffer(root, "good", T0, 10, 10, 10);
        Path bad = SweepFixtures.buffer(root, "bad", T0, 10, 10, 10);
        Files.delete(bad.resolve("live-r{retry}.m3u8"));
        new ProcessBuilder("mkfifo", bad.resolve("live-r{retry}.m3u8").toString()).start().waitFor();
        Path worse = SweepFixtures.buffer(root, "worse", T0, 10, 10, 10);
        Files.delete(worse.resolve("playlist-r{retry}.m3u8"));
        Files.createDirectory(worse.resolve("playlist-r{retry}.m3u8")); // a folder named like a playlist

        SweepOutcome outcome = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> sweep.sweep(name -> new SweepDecision.KeepWindow(Duration.ofSeconds(40), FIRST),
                        T0.plusSeconds(100)));

        assertThat(outcome.foldersFailed()).isEqualTo(2);
        assertThat(good.resolve("seg-r{retry}_00000.ts")).doesNotExist();
        assertThat(bad.resolve("seg-r{retry}_00000.ts")).as("nothing deleted on half the facts").exists();
        assertThat(worse.resolve("seg-r{retry}_00000.ts")).exists();
    }

    @Test
    void aMainPlaylistCaughtMidCopyDeletesNothingStillInTheWindow() throws Exception {
        Path dir = SweepFixtures.buffer(root, "b1", T0, 10, 10, 10); // 0..100 s, cutoff at 60 s
        String main = Files.readString(dir.resolve("playlist-r{retry}.m3u8"));
        Files.writeString(dir.resolve("playlist-r{retry}.m3u8"), main.substring(0, main.indexOf("seg-r{retry}_00003.ts")));
        sweep.sweep(name -> new SweepDecision.KeepWindow(Duration.ofSeconds(40), FIRST), T0.plusSeconds(100));
        assertThat(dir.resolve("seg-r{retry}_00001.ts")).doesNotExist();
        // 3 and 4 have left the window too, but no playlist said so when we looked: they wait for the next sweep.
        assertThat(dir.resolve("seg-r{retry}_00003.ts")).exists();
        assertThat(dir.resolve("seg-r{retry}_00005.ts")).exists();
    }
}
