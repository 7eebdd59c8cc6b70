package io.replaybuffer.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.replaybuffer.egress.simulated.SegmentedRecording;
import io.replaybuffer.egress.simulated.TestPatternEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index against real egress-shaped output written into a temporary directory. */
class SegmentIndexTest {

    private static final TestPatternEncoder ENCODER =
            new TestPatternEncoder(new TestPatternEncoder.Format(160, 96, 10, 100_000, 22_050, 32_000));
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final List<SegmentLayout.Attempt> REPORTED =
            List.of(SegmentLayout.Attempt.FIRST, SegmentLayout.Attempt.ofRetryCount(1));

    @TempDir
    Path root;
    private Path dir;
    private SegmentIndex index;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createDirectories(root.resolve("buffer-1"));
        index = new SegmentIndex(root);
    }

    private SegmentedRecording recording(int retry) throws Exception {
        return new SegmentedRecording(dir, SegmentLayout.Attempt.ofRetryCount(retry), ENCODER);
    }

    /** The footage of a buffer whose egress reported a first attempt and one retry. */
    private Footage footage(String buffer, Duration window) {
        return index.footage(buffer, REPORTED, window);
    }

    @Test
    void emptyOrMissingDirectoryHasNoFootage() {
        assertThat(footage("buffer-1", WINDOW)).isEqualTo(Footage.NONE);
        assertThat(footage("no-such-buffer", WINDOW)).isEqualTo(Footage.NONE);
    }

    @Test
    void listsCompleteSegmentsWithTheirWallClock() throws Exception {
        SegmentedRecording r = recording(0);
        for (int i = 0; i < 3; i++) {
            r.append(T0.plusSeconds(2L * i), 2);
        }
        Footage footage = footage("buffer-1", WINDOW);
        assertThat(footage.segments()).extracting(Segment::fileName)
                .containsExactly("seg-r{retry}_00000.ts", "seg-r{retry}_00001.ts", "seg-r{retry}_00002.ts");
        assertThat(footage.runs()).hasSize(1);
        assertThat(footage.availableSeconds()).isEqualTo(6.0);
        assertThat(footage.oldestAt()).contains(T0);
        assertThat(footage.newestAt()).contains(T0.plusSeconds(6));
    }

    @Test
    void aHalfWrittenNewestSegmentIsNotFootageYet() throws Exception {
        SegmentedRecording r = recording(0);
        r.append(T0, 2);
        r.append(T0.plusSeconds(2), 2);
        r.writeUnlisted(2); // egress is still copying it: no playlist names it
        Files.write(dir.resolve("seg-r{retry}_00003.ts"), new byte[] {0x47, 0x00}); // a truncated fragment
        Footage footage = footage("buffer-1", WINDOW);
        assertThat(footage.segments()).extracting(Segment::sequence).containsExactly(0L, 1L);
        assertThat(footage.availableSeconds()).isEqualTo(4.0);
    }

    @Test
    void aSegmentBetweenListedOnesIsTrustedWhenTheMainPlaylistLags() throws Exception {
        SegmentedRecording r = recording(0);
        r.append(T0, 2);
        Path unlisted = r.writeUnlisted(2);
        r.list("seg-r{retry}_00002.ts", T0.plusSeconds(4), 2);
        Files.copy(unlisted, dir.resolve("seg-r{retry}_00002.ts"));
        Footage footage = footage("buffer-1", WINDOW);
        assertThat(footage.segments()).extracting(Segment::sequence).containsExactly(0L, 1L, 2L);
        assertThat(footage.segments().get(1).start()).isEqualTo(T0.plusSeconds(2));
        assertThat(footage.runs()).hasSize(1);
    }

    @Test
    void readsTheLivePlaylistWhenTheMainOneIsBehind() throws Exception {
        SegmentedRecording r = recording(0);
        for (int i = 0; i < 4; i++) {
            r.append(T0.plusSeconds(2L * i), 2);
        }
        // Egress rewrites the main playlist only every few segments after the first hour: simulate it being stale.
        Files.writeString(dir.resolve("playlist-r{retry}.m3u8"), PlaylistWriter.render(List.of(
                new HlsPlaylist.Entry("seg-r{retry}_00000.ts", T0, 2)), 0, true, false));
        assertThat(footage("buffer-1", WINDOW).segments()).hasSize(4);
    }

    @Test
    void aLivePlaylistCaughtMidRewriteIsHarmless() throws Exception {
        SegmentedRecording r = recording(0);
        for (int i = 0; i < 3; i++) {
            r.append(T0.plusSeconds(2L * i), 2);
        }
        String live = Files.readString(dir.resolve("live-r{retry}.m3u8"));
        Files.writeString(dir.resolve("live-r{retry}.m3u8"), live.substring(0, live.length() / 2)); // truncated mid-line
        assertThat(footage("buffer-1", WINDOW).segments()).hasSize(3);
        Files.writeString(dir.resolve("live-r{retry}.m3u8"), ""); // truncated, not yet rewritten
        assertThat(footage("buffer-1", WINDOW).segments()).hasSize(3);
    }

    @Test
    void anEgressRestartSplitsTheFootageIntoRuns() throws Exception {
        SegmentedRecording first = recording(0);
        first.append(T0, 2);
        first.append(T0.plusSeconds(2), 2);
        SegmentedRecording second = recording(1); // egress retried: new prefix, after a 3 s gap
        second.append(T0.plusSeconds(7), 2);
        Footage footage = footage("buffer-1", WINDOW);
        assertThat(footage.runs()).hasSize(2);
        assertThat(footage.runs().get(0).segments()).hasSize(2);
        assertThat(footage.availableSeconds()).as("only the newest run is continuous").isEqualTo(2.0);
    }

    @Test
    void aMissingSegmentOrATimeJumpSplitsARun() throws Exception {
        SegmentedRecording r = recording(0);
        for (int i = 0; i < 4; i++) {
            r.append(T0.plusSeconds(2L * i), 2);
        }
        Files.delete(dir.resolve("seg-r{retry}_00001.ts"));
        assertThat(footage("buffer-1", WINDOW).runs()).hasSize(2);

        Path other = Files.createDirectories(root.resolve("buffer-2"));
        SegmentedRecording jumpy = new SegmentedRecording(other, SegmentLayout.Attempt.FIRST, ENCODER);
        jumpy.append(T0, 2);
        jumpy.append(T0.plusSeconds(5), 2); // a track blip: 3 s of wall clock missing
        assertThat(footage("buffer-2", WINDOW).runs()).hasSize(2);
    }

    @Test
    void keepsOnlyTheWindowBehindTheNewestSegment() throws Exception {
        SegmentedRecording r = recording(0);
        for (int i = 0; i < 10; i++) {
            r.append(T0.plusSeconds(2L * i), 2);
        }
        Footage footage = footage("buffer-1", Duration.ofSeconds(5));
        // Segments ending after newest-5s: those starting at 14, 16, 18 (the one at 14 straddles the edge).
        assertThat(footage.segments()).extracting(Segment::sequence).containsExactly(7L, 8L, 9L);
        assertThat(footage.availableSeconds()).isEqualTo(5.0);
    }

    @Test
    void withNoReportedNamesTheFolderIsSearchedOnceAndCounted() throws Exception {
        recording(0).append(T0, 2);
        SegmentedRecording legacy = new SegmentedRecording(dir, new SegmentLayout.Attempt("0"), ENCODER);
        legacy.append(T0.minusSeconds(10), 2); // written by this service's own egress before names were reported
        assertThat(index.footage("buffer-1", List.of(), WINDOW).segments()).extracting(Segment::fileName)
                .containsExactly("seg-r0_00000.ts", "seg-r{retry}_00000.ts");
        assertThat(index.footage("buffer-1", List.of(), WINDOW).segments()).hasSize(2);
        assertThat(index.discoveries()).as("one buffer, counted once").isEqualTo(1);
        assertThat(footage("buffer-1", WINDOW).segments()).as("reported names: the legacy attempt is not read")
                .extracting(Segment::fileName).containsExactly("seg-r{retry}_00000.ts");
        assertThat(index.discoveries()).isEqualTo(1);
    }

    @Test
    void aPlaylistListsOnlyItsOwnAttemptsFiles() throws Exception {
        recording(0).append(T0, 2);
        Files.writeString(dir.resolve("live-r{retry}.m3u8"), "#EXTM3U\n#EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:02Z\n"
                + "#EXTINF:2.000,\n../buffer-2/seg-r{retry}_00001.ts\n#EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:04Z\n"
                + "#EXTINF:2.000,\nseg-r1_00002.ts\n#EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:06Z\n"
                + "#EXTINF:2.000,\n/etc/passwd\n");
        Path elsewhere = Files.createDirectories(root.resolve("buffer-2"));
        Files.write(elsewhere.resolve("seg-r{retry}_00001.ts"), new byte[] {0x47});
        assertThat(footage("buffer-1", WINDOW).segments()).extracting(Segment::file)
                .containsExactly(dir.resolve("seg-r{retry}_00000.ts"));
    }

    @Test
    void linksAndSpecialFilesOnTheVolumeAreNeverFollowedOrOpened() throws Exception {
        SegmentedRecording r = recording(0);
        r.append(T0, 2);
        r.append(T0.plusSeconds(2), 2);
        Path outside = Files.createTempFile("not-footage", ".ts");
        Files.delete(dir.resolve("seg-r{retry}_00001.ts"));
        Files.createSymbolicLink(dir.resolve("seg-r{retry}_00001.ts"), outside);
        Files.delete(dir.resolve("live-r{retry}.m3u8"));
        new ProcessBuilder("mkfifo", dir.resolve("live-r{retry}.m3u8").toString()).start().waitFor();
        // A FIFO would block a reader forever: the index must pass it by without opening it, and cleanup refuses it.
        Footage footage = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> footage("buffer-1", WINDOW));
        assertThat(footage.segments()).extracting(Segment::sequence).as("the linked segment is not footage")
                .containsExactly(0L);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.retention("buffer-1", REPORTED,
                        T0.plusSeconds(60), WINDOW))
                        .isInstanceOf(io.replaybuffer.platform.storage.VolumeFiles.NotRegularFileException.class));
        Files.delete(outside);
    }

    @Test
    void aMainPlaylistCaughtMidCopyKeepsTheLastFullRead() throws Exception {
        SegmentedRecording r = recording(0);
        for (int i = 0; i < 8; i++) {
            r.append(T0.plusSeconds(2L * i), 2);
        }
        assertThat(footage("buffer-1", WINDOW).segments()).hasSize(8);
        Path main = dir.resolve("playlist-r{retry}.m3u8");
        String full = Files.readString(main);
        Files.writeString(main, full.substring(0, full.indexOf("seg-r{retry}_00002.ts"))); // egress truncated, copying
        Files.delete(dir.resolve("live-r{retry}.m3u8")); // and the live window holds nothing older than it
        assertThat(footage("buffer-1", WINDOW).segments()).hasSize(8);
    }
}
