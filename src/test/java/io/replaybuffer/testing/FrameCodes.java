package io.replaybuffer.testing;

import io.replaybuffer.platform.media.FfmpegNatives;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * The frame numbers the test-pattern encoder paints as a bar code across the top of every picture (32 blocks of 8
 * pixels, bit 0 first, light = 1), read from the pictures a player shows (frames an MP4 edit list hides are decoded
 * but dropped by the decoder, as {@link MediaDecode} relies on). A recording's frame {@code n} was shown at its first
 * segment's start plus {@code n / fps}, so this is the wall-clock time of a clip's first and last picture.
 *
 * @param first number painted on the first picture shown
 * @param last  number painted on the last picture shown
 * @param shown pictures shown
 */
public record FrameCodes(long first, long last, int shown) {

    public static FrameCodes of(Path file) {
        FfmpegNatives.load();
        AVFormatContext format = new AVFormatContext(null);
        if (avformat.avformat_open_input(format, file.toString(), null, null) < 0) {
            throw new IllegalStateException("cannot open " + file);
        }
        AVPacket packet = avcodec.av_packet_alloc();
        AVFrame frame = avutil.av_frame_alloc();
        AVCodecContext video = null;
        try {
            avformat.avformat_find_stream_info(format, (org.bytedeco.javacpp.PointerPointer<?>) null);
            int v = avformat.av_find_best_stream(format, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            AVCodec codec = avcodec.avcodec_find_decoder(format.streams(v).codecpar().codec_id());
            video = avcodec.avcodec_alloc_context3(codec);
            avcodec.avcodec_parameters_to_context(video, format.streams(v).codecpar());
            video.pkt_timebase(format.streams(v).time_base());
            if (avcodec.avcodec_open2(video, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null) < 0) {
                throw new IllegalStateException("cannot open the video decoder");
            }
            long[] seen = {-1, -1, 0};
            while (avformat.av_read_frame(format, packet) >= 0) {
                if (packet.stream_index() == v) {
                    avcodec.avcodec_send_packet(video, packet);
                    receive(video, frame, seen);
                }
                avcodec.av_packet_unref(packet);
            }
            avcodec.avcodec_send_packet(video, null);
            receive(video, frame, seen);
            return new FrameCodes(seen[0], seen[1], (int) seen[2]);
        } finally {
            avutil.av_frame_free(frame);
            avcodec.av_packet_free(packet);
            if (video != null) {
                avcodec.avcodec_free_context(video);
            }
            avformat.avformat_close_input(format);
        }
    }

    private static void receive(AVCodecContext video, AVFrame frame, long[] seen) {
        while (avcodec.avcodec_receive_frame(video, frame) >= 0) {
            long number = read(frame);
            if (seen[0] < 0) {
                seen[0] = number;
            }
            seen[1] = number;
            seen[2]++;
            avutil.av_frame_unref(frame);
        }
    }

    /** The bar code from the middle row of the blocks, in the luma plane. */
    private static long read(AVFrame frame) {
        int bits = Math.min(32, frame.width() / 8);
        long number = 0;
        int stride = frame.linesize(0);
        for (int b = 0; b < bits; b++) {
            int luma = frame.data(0).get((long) 8 * stride + b * 8 + 4) & 0xff;
            if (luma > 125) {
                number |= 1L << b;
            }
        }
        return number;
    }
}
