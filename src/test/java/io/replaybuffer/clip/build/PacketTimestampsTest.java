package io.replaybuffer.clip.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.replaybuffer.platform.media.FfmpegNatives;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Missing timestamps are derived the way FFmpeg's demuxer derives them for a probed stream, or the packet dropped. */
class PacketTimestampsTest {

    private static final long NONE = avutil.AV_NOPTS_VALUE;
    private AVPacket packet;

    @BeforeEach
    void allocate() {
        FfmpegNatives.load();
        packet = avcodec.av_packet_alloc();
    }

    @AfterEach
    void free() {
        avcodec.av_packet_free(packet);
    }

    private boolean fill(PacketTimestamps timestamps, long pts, long dts, long duration) {
        packet.pts(pts);
        packet.dts(dts);
        packet.duration(duration);
        return timestamps.fill(packet);
    }

    @Test
    void aacFramesSharingOnePesPacketFollowTheFirstByItsDuration() {
        // 1024 samples at 48 kHz in 90 kHz ticks: 1920. Unprobed, only the first frame of the PES has a time.
        PacketTimestamps audio = new PacketTimestamps(1920, false);
        assertThat(fill(audio, 900_000, 900_000, 0)).isTrue();
        assertThat(packet.duration()).isEqualTo(1920);
        assertThat(fill(audio, NONE, NONE, 0)).isTrue();
        assertThat(packet.pts()).isEqualTo(901_920);
        assertThat(packet.dts()).isEqualTo(901_920);
        assertThat(fill(audio, NONE, NONE, 0)).isTrue();
        assertThat(packet.pts()).isEqualTo(903_840);
        assertThat(audio.derived()).isEqualTo(2);
        assertThat(audio.dropped()).isZero();
    }

    @Test
    void aPacketWithNothingToFollowIsDroppedAndCounted() {
        PacketTimestamps audio = new PacketTimestamps(1920, false);
        assertThat(fill(audio, NONE, NONE, 0)).isFalse();
        assertThat(audio.dropped()).isEqualTo(1);
        assertThat(fill(audio, 5_000, NONE, 1920)).as("then the next with a time").isTrue();
        assertThat(packet.dts()).isEqualTo(5_000);
    }

    @Test
    void aMissingPtsIsTheDtsAndAMissingDtsNeverPassesThePts() {
        PacketTimestamps video = new PacketTimestamps(3000, true);
        assertThat(fill(video, 12_000, 6_000, 3000)).isTrue();
        assertThat(fill(video, NONE, 9_000, 3000)).isTrue();
        assertThat(packet.pts()).isEqualTo(9_000);
        assertThat(fill(video, 30_000, NONE, 3000)).isTrue();
        assertThat(packet.dts()).as("the next decode slot, not the far presentation time").isEqualTo(12_000);
        assertThat(fill(video, NONE, NONE, 0)).isTrue();
        assertThat(packet.dts()).isEqualTo(15_000);
        assertThat(packet.pts()).isEqualTo(15_000);
        assertThat(video.derived()).isEqualTo(3);
    }

    @Test
    void completePacketsAreLeftAlone() {
        PacketTimestamps video = new PacketTimestamps(3000, true);
        assertThat(fill(video, 12_000, 6_000, 3000)).isTrue();
        assertThat(packet.pts()).isEqualTo(12_000);
        assertThat(packet.dts()).isEqualTo(6_000);
        assertThat(video.derived()).isZero();
    }
}
