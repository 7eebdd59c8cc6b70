package io.replaybuffer.clip.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.replaybuffer.clip.ClipMarker;
import io.replaybuffer.testing.ChapterProbe;
import io.replaybuffer.testing.MediaDecode;
import io.replaybuffer.testing.MediaProbe;
import io.replaybuffer.testing.TestFootage;
import io.replaybuffer.testing.TestFootage.Source;
import io.replaybuffer.testing.TestFootage.Spec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Markers become MP4 chapters during the stream copy: ffprobe reads one chapter per marker, titled with its label,
 * starting at its offset; the clip itself is unchanged (its length to a frame, moov first, every frame decodes).
 */
class ChaptersTest {

    private static final Spec SPEC = Spec.SMALL; // six 2 s segments, 320x180 at 30 fps
    private static final double FRAME = 1.0 / SPEC.fps();
    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Source.class)
    void eachMarkerIsAChapterTitledWithItsLabel(Source source) throws Exception {
        List<StreamCopyMp4.Input> inputs = new ArrayList<>();
        List<Path> files = TestFootage.files(source, SPEC);
        for (int i = 0; i < files.size(); i++) {
            inputs.add(new StreamCopyMp4.Input(files.get(i), T0.plusSeconds((long) SPEC.segmentSeconds() * i)));
        }
        List<ClipMarker> markers = List.of(new ClipMarker(0.5, "First blood", "kill"),
                new ClipMarker(3.25, "Boss fight — phase 2 ⚔", null), new ClipMarker(6.0, "Victory", "win"));
        Path out = dir.resolve("chapters.mp4");
        double seconds = 7.5;

        StreamCopyMp4.Result result = StreamCopyMp4.build(inputs, T0.plusMillis(1500), Duration.ofMillis(7500),
                markers, out);

        List<ChapterProbe.Chapter> chapters = ChapterProbe.of(out);
        assertThat(chapters).extracting(ChapterProbe.Chapter::title)
                .containsExactly("First blood", "Boss fight — phase 2 ⚔", "Victory");
        assertThat(chapters.get(0).start()).isCloseTo(0.5, within(0.001));
        assertThat(chapters.get(1).start()).isCloseTo(3.25, within(0.001));
        assertThat(chapters.get(2).start()).isCloseTo(6.0, within(0.001));
        assertThat(chapters.get(0).end()).as("a chapter runs to the next marker").isCloseTo(3.25, within(0.001));
        assertThat(chapters.get(2).end()).as("the last to the clip's end").isCloseTo(seconds, within(FRAME));

        MediaProbe probe = MediaProbe.of(out);
        assertThat(probe.videoStart()).isCloseTo(0.0, within(FRAME));
        assertThat(probe.videoEnd()).as("the clip is as long as without chapters").isCloseTo(seconds, within(FRAME));
        assertThat(result.durationSeconds()).isCloseTo(seconds, within(FRAME));
        List<String> boxes = MediaProbe.topLevelBoxes(out);
        assertThat(boxes.indexOf("moov")).as("moov before mdat").isLessThan(boxes.indexOf("mdat"));
        MediaDecode decoded = MediaDecode.of(out);
        assertThat(decoded.errors()).as("every frame decodes").isEmpty();
        assertThat(decoded.videoFrames()).isBetween((int) Math.round(seconds * SPEC.fps()),
                (int) Math.round(seconds * SPEC.fps()) + 1);
    }
}
