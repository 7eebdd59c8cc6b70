package io.replaybuffer.testing;

import io.replaybuffer.platform.media.FfmpegNatives;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Every video and audio frame of a file actually decoded with FFmpeg's decoders, as a player would: what came out
 * and what went wrong. The decoders are strict ({@code AV_EF_EXPLODE}), so damage is an error rather than
 * concealed; a frame flagged corrupt counts as one, and so does anything a decoder logs at error level while this
 * file decodes: the H.264 decoder only logs a B-frame whose reference is missing ("co located POCs unavailable") and
 * shows it anyway, concealed.
 *
 * @param videoFrames        pictures shown (frames an MP4 edit list hides are decoded but not counted, as players do)
 * @param audioSeconds       sound shown, in seconds of samples
 * @param firstPacketIsKey   the file's first video packet, hidden or not, is a keyframe: decoding can start at 0
 * @param errors             what failed, empty when every frame decoded cleanly
 */
public record MediaDecode(int videoFrames, double audioSeconds, boolean firstPacketIsKey, List<String> errors) {

    /** libavutil's AV_FRAME_FLAG_CORRUPT (1 << 0), which JavaCV does not map. */
    private static final int FRAME_FLAG_CORRUPT = 1;

    public static MediaDecode of(Path file) {
        FfmpegNatives.load();
        DecoderLog.install();
        List<String> logged = DecoderLog.start();
        try {
            MediaDecode decoded = decode(file);
            List<String> errors = new ArrayList<>(decoded.errors);
            logged.forEach(line -> errors.add("logged: " + line));
            return new MediaDecode(decoded.videoFrames, decoded.audioSeconds, decoded.firstPacketIsKey,
                    List.copyOf(errors));
        } finally {
            DecoderLog.stop();
        }
    }

    private static MediaDecode decode(Path file) {
        AVFormatContext format = new AVFormatContext(null);
        if (avformat.avformat_open_input(format, file.toString(), null, null) < 0) {
            throw new IllegalStateException("cannot open " + file);
        }
        List<String> errors = new ArrayList<>();
        AVCodecContext video = null;
        AVCodecContext audio = null;
        AVPacket packet = avcodec.av_packet_alloc();
        AVFrame frame = avutil.av_frame_alloc();
        try {
            avformat.avformat_find_stream_info(format, (org.bytedeco.javacpp.PointerPointer<?>) null);
            int v = avformat.av_find_best_stream(format, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            int a = avformat.av_find_best_stream(format, avutil.AVMEDIA_TYPE_AUDIO, -1, v, (AVCodec) null, 0);
            video = v < 0 ? null : decoder(format, v);
            audio = a < 0 ? null : decoder(format, a);
            Counts counts = new Counts(audio == null ? 0 : audio.sample_rate());
            Boolean firstKey = null;
            while (avformat.av_read_frame(format, packet) >= 0) {
                int index = packet.stream_index();
                if (index == v) {
                    if (firstKey == null) {
                        firstKey = (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
                    }
                    decode(video, packet, frame, counts, "video", errors);
                } else if (index == a) {
                    decode(audio, packet, frame, counts, "audio", errors);
                }
                avcodec.av_packet_unref(packet);
            }
            if (video != null) {
                decode(video, null, frame, counts, "video", errors); // drain what the decoder still holds
            }
            if (audio != null) {
                decode(audio, null, frame, counts, "audio", errors);
            }
            return new MediaDecode(counts.videoFrames, counts.audioSeconds(), Boolean.TRUE.equals(firstKey),
                    List.copyOf(errors));
        } finally {
            avutil.av_frame_free(frame);
            avcodec.av_packet_free(packet);
            if (video != null) {
                avcodec.avcodec_free_context(video);
            }
            if (audio != null) {
                avcodec.avcodec_free_context(audio);
            }
            avformat.avformat_close_input(format);
        }
    }

    public boolean clean() {
        return errors.isEmpty();
    }

    private static AVCodecContext decoder(AVFormatContext format, int stream) {
        AVCodec codec = avcodec.avcodec_find_decoder(format.streams(stream).codecpar().codec_id());
        AVCodecContext context = avcodec.avcodec_alloc_context3(codec);
        avcodec.avcodec_parameters_to_context(context, format.streams(stream).codecpar());
        context.pkt_timebase(format.streams(stream).time_base());
        context.err_recognition(context.err_recognition() | avcodec.AV_EF_EXPLODE);
        context.thread_count(1); // decode on this thread, so what the decoder logs is seen as this file's
        if (avcodec.avcodec_open2(context, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null) < 0) {
            throw new IllegalStateException("cannot open a decoder for stream " + stream);
        }
        return context;
    }

    /** Sends one packet (null: end of stream) and takes every frame it releases. */
    private static void decode(AVCodecContext decoder, AVPacket packet, AVFrame frame, Counts counts, String kind,
            List<String> errors) {
        int sent = avcodec.avcodec_send_packet(decoder, packet);
        if (sent < 0 && sent != avutil.AVERROR_EAGAIN() && sent != avutil.AVERROR_EOF()) {
            errors.add(kind + " packet at " + (packet == null ? "end" : packet.pts()) + ": " + text(sent));
        }
        int received;
        while ((received = avcodec.avcodec_receive_frame(decoder, frame)) >= 0) {
            if (frame.decode_error_flags() != 0 || (frame.flags() & FRAME_FLAG_CORRUPT) != 0) {
                errors.add(kind + " frame at " + frame.pts() + " decoded with errors (flags " + frame.decode_error_flags() + ")");
            }
            if (decoder.codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                counts.videoFrames++;
            } else {
                counts.audioSamples += frame.nb_samples();
            }
            avutil.av_frame_unref(frame);
        }
        if (received != avutil.AVERROR_EAGAIN() && received != avutil.AVERROR_EOF()) {
            errors.add(kind + " decoding: " + text(received));
        }
    }

    private static String text(int error) {
        byte[] buffer = new byte[256];
        avutil.av_strerror(error, buffer, buffer.length);
        return new String(buffer, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "").trim();
    }

    private static final class Counts {
        final int sampleRate;
        int videoFrames;
        long audioSamples;

        Counts(int sampleRate) {
            this.sampleRate = sampleRate;
        }

        double audioSeconds() {
            return sampleRate == 0 ? 0 : (double) audioSamples / sampleRate;
        }
    }

    /**
     * FFmpeg's log, which is process-wide: while a thread decodes, what is logged at error level on that thread is
     * collected for it; everything is still printed to standard error as FFmpeg's own logger would.
     */
    private static final class DecoderLog extends org.bytedeco.ffmpeg.avutil.LogCallback {
        private static final ThreadLocal<List<String>> COLLECTING = new ThreadLocal<>();
        private static DecoderLog installed; // held: FFmpeg keeps only a native pointer to it

        static synchronized void install() {
            if (installed == null) {
                installed = new DecoderLog();
                avutil.setLogCallback(installed);
            }
        }

        static List<String> start() {
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            COLLECTING.set(lines);
            return lines;
        }

        static void stop() {
            COLLECTING.remove();
        }

        @Override
        public void call(int level, org.bytedeco.javacpp.BytePointer message) {
            if (level > avutil.av_log_get_level()) {
                return;
            }
            String line = message.getString().strip();
            System.err.println(line);
            List<String> lines = COLLECTING.get();
            if (lines != null && level <= avutil.AV_LOG_ERROR) {
                lines.add(line);
            }
        }
    }
}
