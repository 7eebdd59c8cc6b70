package io.replaybuffer.clip.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.replaybuffer.egress.simulated.SegmentedRecording;
import io.replaybuffer.egress.simulated.TestPatternEncoder;
import io.replaybuffer.testing.MediaProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real segments in, real MP4 out, probed: codecs, exact length, moov first, A/V start, decodable to the end. */
class StreamCopyMp4Test {

    private static final TestPatternEncoder.Format FORMAT = new TestPatternEncoder.Format(320, 180, 30, 400_000, 44_100, 64_000);
    private static final double FRAME = 1.0 / 30;
    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @TempDir
    static Path dir;
    static List<StreamCopyMp4.Input> segments = new ArrayList<>();

    @BeforeAll
    static void sixSegmentsOfTwoSeconds() throws Exception {
        SegmentedRecording recording = new SegmentedRecording(dir.resolve("buffer"), io.replaybuffer.segment.SegmentLayout.Attempt.FIRST, new TestPatternEncoder(FORMAT));
        for (int i = 0; i < 6; i++) {
            segments.add(new StreamCopyMp4.Input(recording.append(T0.plusSeconds(2L * i), 2), T0.plusSeconds(2L * i)));
        }
    }

    private static int decodedFrames(Path mp4) throws Exception {
        int frames = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile())) {
            grabber.start();
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                if (frame.image != null) {
                    frames++;
                }
            }
        }
        return frames;
    }

    @Test
    void cutsMidSegmentToTheExactRequestWithAudioAlongside() throws Exception {
        Path out = dir.resolve("cut.mp4");
        StreamCopyMp4.Result result = StreamCopyMp4.build(segments, T0.plusMillis(3_500), Duration.ofSeconds(6), out);

        MediaProbe probe = MediaProbe.of(out);
        assertThat(probe.videoCodec()).isEqualTo("h264");
        assertThat(probe.audioCodec()).isEqualTo("aac");
        assertThat(probe.width()).isEqualTo(320);
        assertThat(probe.videoStart()).as("playback starts at the requested instant").isCloseTo(0.0, within(FRAME));
        assertThat(probe.videoEnd()).as("and lasts the requested length").isCloseTo(6.0, within(FRAME));
        assertThat(probe.audioStart()).as("audio starts with the video").isCloseTo(probe.videoStart(), within(0.05));
        assertThat(probe.audioEnd()).isCloseTo(6.0, within(0.05));
        assertThat(MediaProbe.topLevelBoxes(out)).containsSubsequence("moov", "mdat");
        assertThat(MediaProbe.topLevelBoxes(out).indexOf("moov")).isLessThan(MediaProbe.topLevelBoxes(out).indexOf("mdat"));
        assertThat(decodedFrames(out)).as("plays from end to end").isBetween(180, 181);
        assertThat(result.durationSeconds()).isCloseTo(6.0, within(FRAME));
        assertThat(result.sizeBytes()).isEqualTo(java.nio.file.Files.size(out));
    }

    @Test
    void wholeSegmentsJoinWithoutGapsOrDrift() throws Exception {
        Path out = dir.resolve("whole.mp4");
        StreamCopyMp4.build(segments, T0, Duration.ofSeconds(12), out);
        MediaProbe probe = MediaProbe.of(out);
        assertThat(probe.videoEnd() - probe.videoStart()).isCloseTo(12.0, within(FRAME));
        assertThat(probe.videoPackets()).isEqualTo(360);
        assertThat(probe.audioEnd()).isCloseTo(12.0, within(0.05));
    }

    @Test
    void rebasesSegmentsWhoseOwnTimestampsDoNotContinue() throws Exception {
        // Each of these restarts its clock (a fresh encoder per file): the builder must not trust them.
        List<StreamCopyMp4.Input> resets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path file = dir.resolve("reset-" + i + ".ts");
            new TestPatternEncoder(FORMAT).writeSegment(file, 2, 0);
            resets.add(new StreamCopyMp4.Input(file, T0.plusSeconds(2L * i)));
        }
        Path out = dir.resolve("resets.mp4");
        StreamCopyMp4.build(resets, T0.plusSeconds(1), Duration.ofSeconds(4), out);
        MediaProbe probe = MediaProbe.of(out);
        assertThat(probe.videoEnd() - probe.videoStart()).isCloseTo(4.0, within(FRAME));
        assertThat(probe.audioStart()).isCloseTo(probe.videoStart(), within(0.05));
        assertThat(decodedFrames(out)).isBetween(120, 121);
    }
}
