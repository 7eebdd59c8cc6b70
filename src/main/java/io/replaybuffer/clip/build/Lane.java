package io.replaybuffer.clip.build;

import java.io.IOException;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * One input stream of one segment on its way to an output stream. All arithmetic on timestamps is FFmpeg's
 * ({@code av_rescale_q_rnd}, {@code av_packet_rescale_ts}). JavaCV makes a new Java wrapper, with a deallocator, for
 * every struct a getter returns, so the time bases are read here once per segment rather than once per packet: a
 * ten-minute clip has over 60,000 packets.
 */
final class Lane {

    /** The clip's clock: microseconds. Allocated once and only read, so shared by concurrent builds. */
    static final AVRational MICROS = avutil.av_make_q(1, 1_000_000);
    private static final int ROUND = avutil.AV_ROUND_NEAR_INF | avutil.AV_ROUND_PASS_MINMAX;

    /** An output stream, across all segments. */
    static final class Output {
        final int index;
        final AVRational base;
        /** Last dts handed to the muxer, in the output's ticks: the MP4 muxer refuses a dts that does not increase. */
        private long lastDts = Long.MIN_VALUE;
        private int adjusted;

        /** Read once the header is written: the MP4 muxer picks its own time base for each track then. */
        Output(AVStream stream) {
            this.index = stream.index();
            this.base = stream.time_base();
        }

        int adjusted() {
            return adjusted;
        }
    }

    final int input;
    private final AVRational inBase;
    private final Output out;
    final PacketTimestamps timestamps;
    /** This segment's shift onto the clip's clock, in the input's ticks; set once the segment is anchored. */
    private long shift;

    /**
     * @param frameDuration one frame's duration, for packets that come without one (null when unknown): the first
     *                      segment's probed frame interval, since later segments are not probed
     * @param reorders      video, whose decode order may differ from presentation order (B-frames)
     */
    Lane(AVStream in, Output out, AVRational frameDuration, boolean reorders) {
        this.input = in.index();
        this.inBase = in.time_base();
        this.out = out;
        long frameTicks = frameDuration == null ? 0 : avutil.av_rescale_q_rnd(1, frameDuration, inBase, ROUND);
        this.timestamps = new PacketTimestamps(Math.max(0, frameTicks), reorders);
    }

    /** A timestamp (or duration) of this input as clip microseconds, before any shift. */
    long micros(long ticks) {
        return avutil.av_rescale_q_rnd(ticks, inBase, MICROS, ROUND);
    }

    /** Fixes this segment's shift, given in microseconds. */
    void shiftBy(long micros) {
        shift = avutil.av_rescale_q_rnd(micros, MICROS, inBase, ROUND);
    }

    /**
     * Retimes the packet in place and hands it to the muxer, which takes its reference (no copy per packet).
     * Audio is written with dts = pts: AAC frames are not reordered.
     */
    void write(AVPacket packet, AVFormatContext muxer, boolean dtsFromPts) throws IOException {
        packet.pts(packet.pts() + shift);
        packet.dts(dtsFromPts ? packet.pts() : packet.dts() + shift);
        avcodec.av_packet_rescale_ts(packet, inBase, out.base);
        // The muxer refuses (and the clip would fail) a dts that does not increase or a pts before the dts. Only on
        // damaged input or a rounding tie at a join: one tick on keeps the file valid.
        if (packet.dts() <= out.lastDts || packet.pts() < packet.dts()) {
            packet.dts(Math.max(packet.dts(), out.lastDts + 1));
            packet.pts(Math.max(packet.pts(), packet.dts()));
            out.adjusted++;
        }
        out.lastDts = packet.dts();
        packet.stream_index(out.index);
        packet.pos(-1);
        StreamCopyMp4.check(avformat.av_interleaved_write_frame(muxer, packet), "write packet");
    }
}
