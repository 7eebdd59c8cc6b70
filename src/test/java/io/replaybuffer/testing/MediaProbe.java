package io.replaybuffer.testing;

import io.replaybuffer.platform.media.FfmpegNatives;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;

/** What FFmpeg's demuxer finds in a media file: codecs, stream starts and ends, first-packet keyframe. */
public record MediaProbe(String videoCodec, String audioCodec, int width, int height, double videoStart,
        double videoEnd, double audioStart, double audioEnd, boolean startsWithKeyframe, int videoPackets) {

    public double videoDuration() {
        return videoEnd - videoStart;
    }

    /** The top-level MP4 boxes in file order (ftyp, free, moov, mdat, ...). */
    public static java.util.List<String> topLevelBoxes(Path file) throws java.io.IOException {
        java.util.List<String> boxes = new java.util.ArrayList<>();
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long position = 0;
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(16);
            while (position + 8 <= channel.size()) {
                header.clear();
                channel.read(header, position);
                header.flip();
                long size = Integer.toUnsignedLong(header.getInt());
                byte[] type = new byte[4];
                header.get(type);
                if (size == 1) {
                    size = header.getLong();
                } else if (size == 0) {
                    size = channel.size() - position;
                }
                boxes.add(new String(type, java.nio.charset.StandardCharsets.US_ASCII));
                if (size < 8) {
                    break;
                }
                position += size;
            }
        }
        return boxes;
    }

    public static MediaProbe of(Path file) {
        return of(file.toString(), null);
    }

    /** Probes a URL (an HLS playlist, say) sending {@code authorization} as its Authorization header. */
    public static MediaProbe ofUrl(String url, String authorization) {
        return of(url, authorization);
    }

    private static MediaProbe of(String input, String authorization) {
        FfmpegNatives.load();
        AVFormatContext ctx = new AVFormatContext(null);
        org.bytedeco.ffmpeg.avutil.AVDictionary options = new org.bytedeco.ffmpeg.avutil.AVDictionary(null);
        if (authorization != null) {
            avutil.av_dict_set(options, "headers", "Authorization: " + authorization + "\r\n", 0);
        }
        int opened = avformat.avformat_open_input(ctx, input, null, options);
        avutil.av_dict_free(options);
        if (opened < 0) {
            throw new IllegalStateException("cannot open " + input);
        }
        try {
            avformat.avformat_find_stream_info(ctx, (org.bytedeco.javacpp.PointerPointer<?>) null);
            int video = -1;
            int audio = -1;
            for (int i = 0; i < ctx.nb_streams(); i++) {
                int type = ctx.streams(i).codecpar().codec_type();
                if (type == avutil.AVMEDIA_TYPE_VIDEO && video < 0) {
                    video = i;
                } else if (type == avutil.AVMEDIA_TYPE_AUDIO && audio < 0) {
                    audio = i;
                }
            }
            double vStart = Double.MAX_VALUE, vEnd = 0, aStart = Double.MAX_VALUE, aEnd = 0;
            Boolean firstKey = null;
            int packets = 0;
            AVPacket pkt = avcodec.av_packet_alloc();
            while (avformat.av_read_frame(ctx, pkt) >= 0) {
                if ((pkt.flags() & avcodec.AV_PKT_FLAG_DISCARD) != 0) {
                    avcodec.av_packet_unref(pkt); // hidden by the MP4 edit list: not shown
                    continue;
                }
                AVStream s = ctx.streams(pkt.stream_index());
                double tb = avutil.av_q2d(s.time_base());
                long pts = pkt.pts() != avutil.AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
                double start = pts * tb;
                double end = (pts + pkt.duration()) * tb;
                if (pkt.stream_index() == video) {
                    if (firstKey == null) {
                        firstKey = (pkt.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
                    }
                    vStart = Math.min(vStart, start);
                    vEnd = Math.max(vEnd, end);
                    packets++;
                } else if (pkt.stream_index() == audio) {
                    aStart = Math.min(aStart, start);
                    aEnd = Math.max(aEnd, end);
                }
                avcodec.av_packet_unref(pkt);
            }
            avcodec.av_packet_free(pkt);
            String vCodec = video < 0 ? null : avcodec.avcodec_get_name(ctx.streams(video).codecpar().codec_id()).getString();
            String aCodec = audio < 0 ? null : avcodec.avcodec_get_name(ctx.streams(audio).codecpar().codec_id()).getString();
            int w = video < 0 ? 0 : ctx.streams(video).codecpar().width();
            int h = video < 0 ? 0 : ctx.streams(video).codecpar().height();
            return new MediaProbe(vCodec, aCodec, w, h, vStart, vEnd, aStart, aEnd, Boolean.TRUE.equals(firstKey), packets);
        } finally {
            avformat.avformat_close_input(ctx);
        }
    }
}
