package io.replaybuffer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.replaybuffer.clip.build.StreamCopyMp4;
import io.replaybuffer.testing.MediaProbe;
import io.replaybuffer.testing.TestFootage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Corrupt and truncated segments (what a failing egress, a full disk or a hostile pod leaves) go through the builder:
 * it either writes a clip that probes as H.264, or fails with an {@link IOException}. Nothing else: no other
 * exception, no crash of the JVM, and the segments it read are left as they were.
 */
class SegmentFuzzTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @FuzzTest(maxDuration = "30s")
    void corruptSegmentsFailCleanlyOrBuild(FuzzedDataProvider data) throws IOException {
        List<TestFootage.Segment> footage = TestFootage.segments(
                data.pickValue(new TestFootage.Source[] {TestFootage.Source.FFMPEG_CLI, TestFootage.Source.GSTREAMER}),
                TestFootage.Spec.SMALL);
        Path dir = Files.createTempDirectory("fuzz-segments");
        try {
            byte[] bytes = Files.readAllBytes(footage.get(1).file());
            int keep = data.consumeInt(0, bytes.length);
            int flips = data.consumeInt(0, 64);
            for (int i = 0; i < flips && keep > 0; i++) {
                bytes[data.consumeInt(0, keep - 1)] ^= data.consumeByte();
            }
            Path corrupt = Files.write(dir.resolve("corrupt.ts"), java.util.Arrays.copyOf(bytes, keep));
            Path next = Files.copy(footage.get(2).file(), dir.resolve("next.ts"));
            byte[] before = Files.readAllBytes(corrupt);
            List<StreamCopyMp4.Input> inputs = List.of(new StreamCopyMp4.Input(corrupt, T0),
                    new StreamCopyMp4.Input(next, T0.plusSeconds(2)));
            Path out = dir.resolve("clip.mp4");
            try {
                StreamCopyMp4.build(inputs, T0.plusMillis(data.consumeInt(0, 3000)), Duration.ofSeconds(1), out);
                assertThat(MediaProbe.of(out).videoCodec()).isEqualTo("h264");
            } catch (IOException clear) {
                // refused with a reason: what a clip of damaged footage should get
            }
            assertThat(Files.readAllBytes(corrupt)).as("the builder only reads its inputs").isEqualTo(before);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
