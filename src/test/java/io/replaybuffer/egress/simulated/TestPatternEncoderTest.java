package io.replaybuffer.egress.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.replaybuffer.testing.MediaProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPatternEncoderTest {

    @Test
    void writesEgressShapedSegments(@TempDir Path dir) throws Exception {
        TestPatternEncoder encoder = new TestPatternEncoder(TestPatternEncoder.Format.SIMULATED);
        Path first = dir.resolve("seg-r0_00000.ts");
        Path second = dir.resolve("seg-r0_00001.ts");
        encoder.writeSegment(first, 2.0, 0);
        encoder.writeSegment(second, 2.0, 60);

        for (Path segment : new Path[] {first, second}) {
            assertThat(Files.size(segment)).isGreaterThan(10_000);
            MediaProbe probe = MediaProbe.of(segment);
            assertThat(probe.videoCodec()).isEqualTo("h264");
            assertThat(probe.audioCodec()).isEqualTo("aac");
            assertThat(probe.width()).isEqualTo(640);
            assertThat(probe.height()).isEqualTo(360);
            assertThat(probe.startsWithKeyframe()).isTrue();
            assertThat(probe.videoPackets()).isEqualTo(60);
            assertThat(probe.videoDuration()).isCloseTo(2.0, within(1.0 / 30 + 1e-6));
            assertThat(probe.audioEnd() - probe.audioStart()).isCloseTo(2.0, within(0.05));
        }
        // One continuous stream cut in two, as egress writes it: the second segment's clock carries on.
        assertThat(MediaProbe.of(second).videoStart() - MediaProbe.of(first).videoStart()).isCloseTo(2.0, within(1e-6));
        assertThat(MediaProbe.of(second).audioStart() - MediaProbe.of(first).audioStart()).isCloseTo(2.0, within(0.03));
    }
}
