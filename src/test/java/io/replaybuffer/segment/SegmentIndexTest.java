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
        return new SegmentedRecording(dir, retry, ENCODER);
    }

    @Test
    void emptyOrMissingDirectoryHasNoFootage() {
        assertThat(index.footage("buffer-1", WINDOW)).isEqualTo(Footage.NONE);
        assertThat(index.footage("no-such-buffer", WINDOW)).isEqualTo(Footage.NONE);
    }

    @Test
    void listsCompleteSegmentsWithTheirWallClock() throws Exception {
        SegmentedRecording r = recording(0);
        for (int i = 0; i < 3; i++) {
            r.append(T0.plusSeconds(2L * i), 2);
        }
        Footage footage = index.footage("buffer-1", WINDOW);
        assertThat(footage.segments()).extracting(Segment::fileName)
                .containsExactly("seg-r0_00000.ts", "seg-r0_00001.ts", "seg-r0_00002.ts");
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
        Files.write(dir.resolve("seg-r0_00003.ts"), new byte[] {0x47, 0x00}); // a truncated fragment
        Footage footage = index.footage("buffer-1", WINDOW);
        assertThat(footage.segments()).extracting(Segment::sequence).containsExactly(0L, 1L);
        assertThat(footage.availableSeconds()).isEqualTo(4.0);
    }

    @Test
    void aSegmentBetweenListedOnesIsTrustedWhenTheMainPlaylistLags() throws Exception {
        SegmentedRecording r = recording(0);
        r.append(T0, 2);
        Path unlisted = r.writeUnlisted(2);
        r.list("seg-r0_00002.ts", T0.plusSeconds(4), 2);
        Files.copy(unlisted, dir.resolve("seg-r0_00002.ts"));
        Footage footage = index.footage("buffer-1", WINDOW);
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
        Files.writeString(dir.resolve("playlist-r0.m3u8"), PlaylistWriter.render(List.of(
                new HlsPlaylist.Entry("seg-r0_00000.ts", T0, 2)), 0, true, false));
        assertThat(index.footage("buffer-1", WINDOW).segments()).hasSize(4);
    }

    @Test
    void aLivePlaylistCaughtMidRewriteIsHarmless() throws Exception {
        SegmentedRecording r = recording(0);
        for (int i = 0; i < 3; i++) {
            r.append(T0.plusSeconds(2L * i), 2);
        }
        String live = Files.readString(dir.resolve("live-r0.m3u8"));
        Files.writeString(dir.resolve("live-r0.m3u8"), live.substring(0, live.length() / 2)); // truncated mid-line
        assertThat(index.footage("buffer-1", WINDOW).segments()).hasSize(3);
        Files.writeString(dir.resolve("live-r0.m3u8"), ""); // truncated, not yet rewritten
        assertThat(index.footage("buffer-1", WINDOW).segments()).hasSize(3);
    }

    @Test
    void anEgressRestartSplitsTheFootageIntoRuns() throws Exception {
        SegmentedRecording first = recording(0);
        first.append(T0, 2);
        first.append(T0.plusSeconds(2), 2);
        SegmentedRecording second = recording(1); // egress retried: new prefix, after a 3 s gap
        second.append(T0.plusSeconds(7), 2);
        Footage footage = index.footage("buffer-1", WINDOW);
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
        Files.delete(dir.resolve("seg-r0_00001.ts"));
        assertThat(index.footage("buffer-1", WINDOW).runs()).hasSize(2);

        Path other = Files.createDirectories(root.resolve("buffer-2"));
        SegmentedRecording jumpy = new SegmentedRecording(other, 0, ENCODER);
        jumpy.append(T0, 2);
        jumpy.append(T0.plusSeconds(5), 2); // a track blip: 3 s of wall clock missing
        assertThat(index.footage("buffer-2", WINDOW).runs()).hasSize(2);
    }

    @Test
    void keepsOnlyTheWindowBehindTheNewestSegment() throws Exception {
        SegmentedRecording r = recording(0);
        for (int i = 0; i < 10; i++) {
            r.append(T0.plusSeconds(2L * i), 2);
        }
        Footage footage = index.footage("buffer-1", Duration.ofSeconds(5));
        // Segments ending after newest-5s: those starting at 14, 16, 18 (the one at 14 straddles the edge).
        assertThat(footage.segments()).extracting(Segment::sequence).containsExactly(7L, 8L, 9L);
        assertThat(footage.availableSeconds()).isEqualTo(5.0);
    }
}
