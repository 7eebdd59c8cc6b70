package io.replaybuffer.clip.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.replaybuffer.platform.media.FfmpegNatives;
import java.util.SplittableRandom;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;

/** The Java rescaling the builder uses per packet must agree with FFmpeg's own av_rescale_q exactly. */
class MediaClockTest {

    @Test
    void agreesWithAvRescaleQ() {
        FfmpegNatives.load();
        SplittableRandom random = new SplittableRandom(42);
        int[][] bases = {{1, 90_000}, {1, 1_000_000}, {1, 15_360}, {1, 48_000}, {1, 44_100}, {1001, 30_000}};
        for (int i = 0; i < 200_000; i++) {
            int[] from = bases[random.nextInt(bases.length)];
            int[] to = bases[random.nextInt(bases.length)];
            long value = random.nextLong(-10_000_000_000_000L, 10_000_000_000_000L);
            long expected = avutil.av_rescale_q(value, avutil.av_make_q(from[0], from[1]), avutil.av_make_q(to[0], to[1]));
            assertThat(new MediaClock(from[0], from[1]).to(new MediaClock(to[0], to[1]), value))
                    .as("%d from %d/%d to %d/%d", value, from[0], from[1], to[0], to[1]).isEqualTo(expected);
        }
    }
}
