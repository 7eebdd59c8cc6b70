package io.replaybuffer.clip.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.replaybuffer.egress.simulated.TestPatternEncoder;
import io.replaybuffer.testing.MediaDecode;
import io.replaybuffer.testing.MediaProbe;
import io.replaybuffer.testing.OsTools;
import io.replaybuffer.testing.TestFootage;
import io.replaybuffer.testing.TestFootage.Source;
import io.replaybuffer.testing.TestFootage.Spec;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real segments in, real MP4 out, probed and decoded: codecs, exact length, moov first, A/V start, every frame
 * decodable from a keyframe. On footage from three writers (see {@link TestFootage}): the project's encoder, the
 * ffmpeg CLI (B-frames, several AAC frames per PES, offset timestamps) and GStreamer with LiveKit egress's elements.
 */
class StreamCopyMp4Test {

    private static final Spec SPEC = Spec.SMALL; // six 2 s segments, 320x180 at 30 fps
    private static final double FRAME = 1.0 / SPEC.fps();
    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @TempDir
    Path dir;

    /** Egress lists each segment at the wall-clock instant its first frame shows: here T0 plus whole segments. */
    private static List<StreamCopyMp4.Input> inputs(Source source) {
        List<StreamCopyMp4.Input> inputs = new ArrayList<>();
        List<Path> files = TestFootage.files(source, SPEC);
        for (int i = 0; i < files.size(); i++) {
            inputs.add(new StreamCopyMp4.Input(files.get(i), T0.plusSeconds((long) SPEC.segmentSeconds() * i)));
        }
        return inputs;
    }

    /** The probes every clip must pass: the requested span, to a frame, with sound alongside, and all of it plays. */
    private static void assertPlaysAsRequested(Path mp4, double seconds, StreamCopyMp4.Result result) throws Exception {
        MediaProbe probe = MediaProbe.of(mp4);
        assertThat(probe.videoCodec()).isEqualTo("h264");
        assertThat(probe.audioCodec()).isEqualTo("aac");
        assertThat(probe.width()).isEqualTo(SPEC.width());
        assertThat(probe.videoStart()).as("playback starts at the requested instant").isCloseTo(0.0, within(FRAME));
        assertThat(probe.videoEnd()).as("and lasts the requested length").isCloseTo(seconds, within(FRAME));
        assertThat(probe.audioStart()).as("audio starts with the video").isCloseTo(probe.videoStart(), within(0.05));
        assertThat(probe.audioEnd()).as("and ends with it").isCloseTo(seconds, within(0.05));
        List<String> boxes = MediaProbe.topLevelBoxes(mp4);
        assertThat(boxes).contains("moov", "mdat");
        assertThat(boxes.indexOf("moov")).as("moov before mdat, for progressive playback").isLessThan(boxes.indexOf("mdat"));
        assertThat(result.durationSeconds()).isCloseTo(seconds, within(FRAME));
        assertThat(result.sizeBytes()).isEqualTo(Files.size(mp4));
        assertThat(result.droppedPackets()).isZero();

        MediaDecode decoded = MediaDecode.of(mp4);
        assertThat(decoded.errors()).as("every frame decodes").isEmpty();
        assertThat(decoded.firstPacketIsKey()).as("the file starts on a keyframe").isTrue();
        assertThat(decoded.videoFrames()).as("pictures shown").isBetween((int) Math.round(seconds * SPEC.fps()),
                (int) Math.round(seconds * SPEC.fps()) + 1);
        assertThat(decoded.audioSeconds()).as("sound decoded").isCloseTo(seconds, within(0.1));
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void cutsMidGopAcrossJoinsToTheExactRequest(Source source) throws Exception {
        // 3.5 s is in the middle of the second segment's GOP; the 6 s window crosses three joins.
        Path out = dir.resolve("cut.mp4");
        StreamCopyMp4.Result result = StreamCopyMp4.build(inputs(source), T0.plusMillis(3_500), Duration.ofSeconds(6), out);
        assertPlaysAsRequested(out, 6.0, result);
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void startsExactlyOnAJoin(Source source) throws Exception {
        Path out = dir.resolve("join.mp4");
        StreamCopyMp4.Result result = StreamCopyMp4.build(inputs(source), T0.plusSeconds(4), Duration.ofMillis(4_500), out);
        assertPlaysAsRequested(out, 4.5, result);
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void wholeFootageJoinsWithoutGapsOrDrift(Source source) throws Exception {
        Path out = dir.resolve("whole.mp4");
        double seconds = SPEC.totalSeconds();
        StreamCopyMp4.Result result = StreamCopyMp4.build(inputs(source), T0, Duration.ofSeconds(SPEC.totalSeconds()), out);
        assertPlaysAsRequested(out, seconds, result);
        assertThat(MediaProbe.of(out).videoPackets()).as("every frame, once").isEqualTo(SPEC.totalSeconds() * SPEC.fps());
    }

    @Test
    void derivesTheTimestampsFfmpegLeavesOutOfItsAacPackets() throws Exception {
        // The ffmpeg CLI packs several AAC frames in one PES packet: unprobed, all but the first come without a
        // timestamp. They get one (none is dropped), and sound runs unbroken across the joins.
        Path out = dir.resolve("derived.mp4");
        StreamCopyMp4.Result result = StreamCopyMp4.build(inputs(Source.FFMPEG_CLI), T0.plusSeconds(1),
                Duration.ofSeconds(8), out);
        assertThat(result.derivedTimestamps()).isPositive();
        assertThat(result.droppedPackets()).isZero();
        assertPlaysAsRequested(out, 8.0, result);
    }

    @Test
    void rebasesSegmentsWhoseOwnTimestampsDoNotContinue() throws Exception {
        // Each of these restarts its clock (a fresh encoder per file): the builder must not trust them.
        TestPatternEncoder.Format format = new TestPatternEncoder.Format(SPEC.width(), SPEC.height(), SPEC.fps(),
                400_000, 44_100, 64_000);
        List<StreamCopyMp4.Input> resets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path file = dir.resolve("reset-" + i + ".ts");
            new TestPatternEncoder(format).writeSegment(file, 2, 0);
            resets.add(new StreamCopyMp4.Input(file, T0.plusSeconds(2L * i)));
        }
        Path out = dir.resolve("resets.mp4");
        StreamCopyMp4.Result result = StreamCopyMp4.build(resets, T0.plusSeconds(1), Duration.ofSeconds(4), out);
        assertPlaysAsRequested(out, 4.0, result);
    }

    @Test
    void aSegmentThatCannotBeReadFailsTheBuildSayingWhich() throws Exception {
        List<StreamCopyMp4.Input> inputs = new ArrayList<>(inputs(Source.OWN));
        inputs.set(2, new StreamCopyMp4.Input(dir.resolve("gone.ts"), inputs.get(2).start()));
        Path out = dir.resolve("gone.mp4");
        assertThatThrownBy(() -> StreamCopyMp4.build(inputs, T0, Duration.ofSeconds(12), out))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("gone.ts"); // ClipBuilder fails the clip
    }

    /** The decode probe can fail: a clip that starts mid-GOP without its keyframe, and one with damaged data. */
    @Test
    void theDecodeProbeCatchesWhatAPlayerWould() throws Exception {
        Path segment = TestFootage.files(Source.FFMPEG_CLI, SPEC).get(1);
        Path noKeyframe = dir.resolve("no-keyframe.mp4");
        // Output-side -ss with -copyinkf copies from 0.5 s on, keyframe or not: what a naive cut does.
        OsTools.exec(new ProcessBuilder(OsTools.require("ffmpeg", "ffmpeg"), "-nostdin", "-v", "error", "-i",
                segment.toString(), "-ss", "0.5", "-copyinkf", "-c", "copy", noKeyframe.toString()), Duration.ofSeconds(60));
        MediaDecode naive = MediaDecode.of(noKeyframe);
        assertThat(naive.firstPacketIsKey()).isFalse();
        assertThat(naive.errors()).as("B-frames without their references").isNotEmpty();

        Path damaged = dir.resolve("damaged.mp4");
        StreamCopyMp4.build(inputs(Source.FFMPEG_CLI), T0, Duration.ofSeconds(4), damaged);
        try (FileChannel file = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
            byte[] noise = new byte[4096];
            new java.util.Random(7).nextBytes(noise);
            file.write(java.nio.ByteBuffer.wrap(noise), Files.size(damaged) / 2);
        }
        assertThat(MediaDecode.of(damaged).errors()).isNotEmpty();
    }
}
