package io.replaybuffer.clip.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.replaybuffer.testing.MediaDecode;
import io.replaybuffer.testing.TestFootage;
import io.replaybuffer.testing.TestFootage.Source;
import io.replaybuffer.testing.TestFootage.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A clip may start on any frame. x264 (as egress and the ffmpeg CLI run it) makes B-frames that other frames refer
 * to; one shown before the start but decoded after the first shown frame must still be in the file, or the decoder
 * loses a reference ("mmco: unref short failure"). Starts every 7th frame across the footage, each clip decoded whole.
 */
class CutAnywhereTest {

    private static final Spec SPEC = Spec.SMALL;
    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Source.class)
    void everyStartFrameDecodes(Source source) throws Exception {
        List<StreamCopyMp4.Input> inputs = new ArrayList<>();
        double at = 0;
        for (TestFootage.Segment segment : TestFootage.segments(source, SPEC)) {
            inputs.add(new StreamCopyMp4.Input(segment.file(), T0.plusNanos(Math.round(at * 1e9))));
            at += segment.seconds();
        }
        List<String> broken = new ArrayList<>();
        int frames = (int) Math.floor((at - 1.5) * SPEC.fps());
        for (int frame = 0; frame < frames; frame += 7) {
            Path out = dir.resolve("cut-" + frame + ".mp4");
            StreamCopyMp4.build(inputs, T0.plusNanos(Math.round(frame * 1e9 / SPEC.fps())), Duration.ofMillis(1500), out);
            List<String> errors = MediaDecode.of(out).errors();
            if (!errors.isEmpty()) {
                broken.add("frame " + frame + ": " + errors);
            }
            Files.delete(out);
        }
        assertThat(broken).as("clips starting on these frames do not decode").isEmpty();
    }
}
