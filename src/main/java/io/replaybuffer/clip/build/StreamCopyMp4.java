package io.replaybuffer.clip.build;

import io.replaybuffer.platform.media.FfmpegNatives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Builds an MP4 from MPEG-TS segments by stream copy, with no re-encode.
 *
 * <ul>
 * <li>Each segment's timestamps are rebased onto the previous segment's video end, so a clip never trusts a file's
 * own zero and never drifts or stutters at a join.</li>
 * <li>The requested start becomes time 0. Video keeps the GOP from the keyframe at or before it (so the first frame
 * decodes cleanly) with negative timestamps, which the MP4 muxer turns into an edit list: players start at the
 * requested instant. Audio is cut on the same timeline, so both start together.</li>
 * <li>Space for the moov atom is reserved at the front (FFmpeg's {@code moov_size}), so the index comes before the
 * media for progressive playback without the second full rewrite {@code +faststart} needs. Should the estimate be
 * short, the build is redone with {@code +faststart}.</li>
 * </ul>
 */
public final class StreamCopyMp4 {

    /** One secured segment and the wall-clock instant its first frame shows. */
    public record Input(Path file, Instant start) {
    }

    /** What was written. */
    public record Result(double durationSeconds, int width, int height, String videoCodec, String audioCodec,
            long sizeBytes) {
    }

    private static final org.bytedeco.ffmpeg.avformat.AVInputFormat MPEGTS = mpegts();
    /** Frames are read in decode order; stop only once presentation time is this far past the end. */
    private static final long REORDER_MARGIN_MICROS = 500_000;

    private StreamCopyMp4() {
    }

    /** Writes {@code [from, from + length)} of {@code segments} to {@code output}. */
    public static Result build(List<Input> segments, Instant from, Duration length, Path output) throws IOException {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no segments");
        }
        FfmpegNatives.load();
        try {
            return write(segments, from, length, output, false);
        } catch (MoovTooSmall e) {
            Files.deleteIfExists(output);
            return write(segments, from, length, output, true);
        }
    }

    private static Result write(List<Input> segments, Instant from, Duration length, Path output, boolean faststart)
            throws IOException {
        // The first input stays open until the output is closed: the output streams were set up from its parameters.
        AVFormatContext first = open(segments.get(0).file(), true);
        AVFormatContext out = new AVFormatContext(null);
        try {
            int video = avformat.av_find_best_stream(first, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
            if (video < 0) {
                throw new IOException("the first segment has no video stream");
            }
            int audio = avformat.av_find_best_stream(first, avutil.AVMEDIA_TYPE_AUDIO, -1, video, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
            check(avformat.avformat_alloc_output_context2(out, null, "mp4", output.toString()), "allocate mp4 output");
            AVStream videoOut = addStream(out, first.streams(video));
            AVStream audioOut = audio >= 0 ? addStream(out, first.streams(audio)) : null;
            AVIOContext io = new AVIOContext(null);
            check(avformat.avio_open(io, output.toString(), avformat.AVIO_FLAG_WRITE), "open output");
            out.pb(io);
            AVDictionary options = new AVDictionary(null);
            if (faststart) {
                avutil.av_dict_set(options, "movflags", "+faststart", 0);
            } else {
                avutil.av_dict_set(options, "moov_size", Long.toString(moovEstimate(first.streams(video), length)), 0);
            }
            int header = avformat.avformat_write_header(out, options);
            avutil.av_dict_free(options);
            check(header, "write mp4 header");

            Timeline timeline = new Timeline(segments.get(0).start(), from, length, frameDuration(first.streams(video)));
            for (int i = 0; i < segments.size() && !timeline.done(); i++) {
                AVFormatContext in = i == 0 ? first : open(segments.get(i).file(), false);
                try {
                    copySegment(in, out, videoOut, audioOut, timeline, i == 0);
                } finally {
                    if (i > 0) {
                        avformat.avformat_close_input(in);
                    }
                }
            }
            int trailer = avformat.av_write_trailer(out);
            if (trailer < 0 && !faststart) {
                throw new MoovTooSmall();
            }
            check(trailer, "finish mp4");
            AVCodecParameters v = videoOut.codecpar();
            return new Result(timeline.writtenSeconds(), v.width(), v.height(),
                    avcodec.avcodec_get_name(v.codec_id()).getString(),
                    audioOut == null ? null : avcodec.avcodec_get_name(audioOut.codecpar().codec_id()).getString(),
                    Files.size(output));
        } finally {
            if (out.pb() != null) {
                avformat.avio_closep(out.pb());
            }
            avformat.avformat_free_context(out);
            avformat.avformat_close_input(first);
        }
    }

    private static AVStream addStream(AVFormatContext out, AVStream source) throws IOException {
        AVStream stream = avformat.avformat_new_stream(out, null);
        check(avcodec.avcodec_parameters_copy(stream.codecpar(), source.codecpar()), "copy codec parameters");
        stream.codecpar().codec_tag(0); // MPEG-TS tags mean nothing in MP4: let the muxer choose
        stream.time_base(source.time_base());
        return stream;
    }

    /** Where a segment's packets go: input stream indices and clocks, output streams and clocks. */
    private record Routes(int video, int audio, MediaClock videoIn, MediaClock audioIn, int videoOut, int audioOut,
            MediaClock videoOutClock, MediaClock audioOutClock) {

        static Routes of(AVFormatContext in, AVStream videoStream, AVStream audioStream) {
            int video = -1;
            int audio = -1;
            for (int s = 0; s < in.nb_streams(); s++) {
                int type = in.streams(s).codecpar().codec_type();
                if (type == avutil.AVMEDIA_TYPE_VIDEO && video < 0) {
                    video = s;
                } else if (type == avutil.AVMEDIA_TYPE_AUDIO && audio < 0) {
                    audio = s;
                }
            }
            return new Routes(video, audioStream == null ? -1 : audio,
                    video < 0 ? null : MediaClock.of(in.streams(video).time_base()),
                    audio < 0 ? null : MediaClock.of(in.streams(audio).time_base()),
                    videoStream.index(), audioStream == null ? -1 : audioStream.index(),
                    MediaClock.of(videoStream.time_base()), audioStream == null ? null : MediaClock.of(audioStream.time_base()));
        }
    }

    /** Copies one segment's packets, rebased onto the timeline; the first also cuts the start. */
    private static void copySegment(AVFormatContext in, AVFormatContext out, AVStream videoOut, AVStream audioOut,
            Timeline timeline, boolean first) throws IOException {
        Routes routes = Routes.of(in, videoOut, audioOut);
        AVPacket packet = avcodec.av_packet_alloc();
        List<AVPacket> waiting = new ArrayList<>(); // audio read before this segment's first video frame
        List<AVPacket> gop = new ArrayList<>(); // video pre-roll since the last keyframe before the start
        try {
            while (!timeline.done() && avformat.av_read_frame(in, packet) >= 0) {
                int index = packet.stream_index();
                if (index == routes.video()) {
                    long micros = routes.videoIn().toMicros(packet.pts());
                    if (!timeline.segmentAnchored()) {
                        timeline.anchorSegment(micros, first);
                        for (AVPacket held : waiting) {
                            writeAudio(held, routes, out, timeline);
                            avcodec.av_packet_free(held);
                        }
                        waiting.clear();
                    }
                    long at = timeline.rebase(micros);
                    timeline.videoSeen(at);
                    boolean key = (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
                    if (at < 0) {
                        // Before the requested start: keep only the GOP the first shown frame depends on.
                        if (key) {
                            gop.forEach(avcodec::av_packet_free);
                            gop.clear();
                        }
                        if (key || !gop.isEmpty()) {
                            gop.add(avcodec.av_packet_clone(packet));
                        }
                    } else if (at < timeline.lengthMicros()) {
                        for (AVPacket held : gop) {
                            writeVideo(held, routes, out, timeline);
                            avcodec.av_packet_free(held);
                        }
                        gop.clear();
                        writeVideo(packet, routes, out, timeline);
                    } else if (at >= timeline.lengthMicros() + REORDER_MARGIN_MICROS) {
                        timeline.videoDone(); // well past the end, even allowing for B-frame reordering
                    }
                } else if (index == routes.audio() && routes.audio() >= 0) {
                    if (!timeline.segmentAnchored()) {
                        waiting.add(avcodec.av_packet_clone(packet));
                    } else {
                        writeAudio(packet, routes, out, timeline);
                    }
                }
                avcodec.av_packet_unref(packet);
            }
        } finally {
            waiting.forEach(avcodec::av_packet_free);
            gop.forEach(avcodec::av_packet_free);
            avcodec.av_packet_free(packet);
            timeline.endSegment();
        }
    }

    private static void writeVideo(AVPacket packet, Routes routes, AVFormatContext out, Timeline timeline)
            throws IOException {
        long pts = timeline.rebase(routes.videoIn().toMicros(packet.pts()));
        long rawDts = packet.dts() == avutil.AV_NOPTS_VALUE ? packet.pts() : packet.dts();
        long dts = timeline.rebase(routes.videoIn().toMicros(rawDts));
        timeline.videoWritten(pts);
        write(packet, routes.videoIn(), routes.videoOutClock(), routes.videoOut(), pts, dts, out);
    }

    private static void writeAudio(AVPacket packet, Routes routes, AVFormatContext out, Timeline timeline)
            throws IOException {
        long pts = timeline.rebase(routes.audioIn().toMicros(packet.pts()));
        long duration = routes.audioIn().toMicros(packet.duration());
        // Audio ending before the start is cut; so is audio from the end on, and any overlap at a join.
        if (pts + duration <= 0 || pts >= timeline.lengthMicros() || !timeline.audioAfterLast(pts)) {
            return;
        }
        write(packet, routes.audioIn(), routes.audioOutClock(), routes.audioOut(), pts, pts, out);
    }

    /** Retimes the packet in place and hands it to the muxer, which takes its reference (no copy per packet). */
    private static void write(AVPacket packet, MediaClock in, MediaClock outClock, int streamIndex, long ptsMicros,
            long dtsMicros, AVFormatContext out) throws IOException {
        packet.duration(in.to(outClock, packet.duration()));
        packet.pts(outClock.fromMicros(ptsMicros));
        packet.dts(outClock.fromMicros(dtsMicros));
        packet.stream_index(streamIndex);
        packet.pos(-1);
        check(avformat.av_interleaved_write_frame(out, packet), "write packet");
    }

    private static AVFormatContext open(Path file, boolean probe) throws IOException {
        AVFormatContext context = new AVFormatContext(null);
        // Egress writes MPEG-TS only: naming the format skips probing every file.
        check(avformat.avformat_open_input(context, file.toString(), MPEGTS, null), "open segment " + file.getFileName());
        if (probe) {
            check(avformat.avformat_find_stream_info(context, (org.bytedeco.javacpp.PointerPointer<?>) null),
                    "read stream info of " + file.getFileName());
        }
        return context;
    }

    private static org.bytedeco.ffmpeg.avformat.AVInputFormat mpegts() {
        FfmpegNatives.load();
        return avformat.av_find_input_format("mpegts");
    }

    private static long frameDuration(AVStream video) {
        AVRational rate = video.avg_frame_rate().num() > 0 ? video.avg_frame_rate() : video.r_frame_rate();
        return rate.num() > 0 ? Math.round(1e6 * rate.den() / rate.num()) : 33_333;
    }

    /** Room for the sample tables at the front: about 24 bytes a sample, for video and AAC frames, with slack. */
    private static long moovEstimate(AVStream video, Duration length) {
        double fps = 1e6 / frameDuration(video);
        double seconds = length.toMillis() / 1000.0 + 20; // plus pre-roll and a segment of slack
        double samples = seconds * (Math.max(fps, 30) + 48_000 / 1024.0);
        return (long) (samples * 24 * 1.5) + 64 * 1024;
    }

    static void check(int result, String what) throws IOException {
        if (result < 0) {
            byte[] text = new byte[256];
            avutil.av_strerror(result, text, text.length);
            String message = new String(text, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "");
            throw new IOException(what + " failed: " + message);
        }
    }

    private static final class MoovTooSmall extends IOException {
        MoovTooSmall() {
            super("the reserved moov space was too small");
        }
    }
}
