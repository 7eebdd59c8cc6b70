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
 * <li>At the end, a frame shown after it that frames before it are decoded from (B-frames) is written too, and the
 * edit list ends at the requested instant, so it is decoded but never shown.</li>
 * <li>Space for the moov atom is reserved at the front (FFmpeg's {@code moov_size}), so the index comes before the
 * media for progressive playback without the second full rewrite {@code +faststart} needs. Should the estimate be
 * short, the build is redone with {@code +faststart}.</li>
 * <li>Only the first segment is probed (probing decodes video). A packet of a later one that comes without a
 * timestamp gets the one FFmpeg would have derived ({@link PacketTimestamps}), or is left out and counted: timestamps
 * never fail a clip.</li>
 * </ul>
 */
public final class StreamCopyMp4 {

    /** One secured segment and the wall-clock instant its first frame shows. */
    public record Input(Path file, Instant start) {
    }

    /**
     * What was written. {@code derivedTimestamps}: packets whose missing (or out-of-order) timestamps were filled in
     * from their neighbours; {@code droppedPackets}: packets left out for want of any time to place them at.
     */
    public record Result(double durationSeconds, int width, int height, String videoCodec, String audioCodec,
            long sizeBytes, int derivedTimestamps, int droppedPackets) {
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
        // The first input stays open until the output is closed: the output streams were set up from its parameters,
        // and its probed frame rate and audio frame size stand in for the unprobed segments after it.
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

            Streams streams = Streams.of(first.streams(video), audio >= 0 ? first.streams(audio) : null, videoOut, audioOut);
            Timeline timeline = new Timeline(segments.get(0).start(), from, length, frameDuration(first.streams(video)));
            for (int i = 0; i < segments.size() && !timeline.done(); i++) {
                AVFormatContext in = i == 0 ? first : open(segments.get(i).file(), false);
                try {
                    copySegment(in, out, streams, timeline, i == 0);
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
            avformat.avio_closep(out.pb());
            out.pb(null);
            if (streams.hidden > 0) {
                EditListEnd.trimVideo(output, timeline.writtenSeconds());
            }
            AVCodecParameters v = videoOut.codecpar();
            return new Result(timeline.writtenSeconds(), v.width(), v.height(),
                    avcodec.avcodec_get_name(v.codec_id()).getString(),
                    audioOut == null ? null : avcodec.avcodec_get_name(audioOut.codecpar().codec_id()).getString(),
                    Files.size(output), streams.derived(), streams.dropped);
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

    /**
     * What holds for the whole build: the output streams, and the frame durations the unprobed segments lack (read
     * from the probed first one). Also the tally of timestamps derived and packets dropped.
     */
    private static final class Streams {
        final Lane.Output videoOut;
        final Lane.Output audioOut;
        final AVRational videoFrame;
        final AVRational audioFrame;
        int derived;
        int dropped;
        /** Frames written only as references for frames before the end, shown past it: the edit list hides them. */
        int hidden;

        private Streams(Lane.Output videoOut, Lane.Output audioOut, AVRational videoFrame, AVRational audioFrame) {
            this.videoOut = videoOut;
            this.audioOut = audioOut;
            this.videoFrame = videoFrame;
            this.audioFrame = audioFrame;
        }

        static Streams of(AVStream video, AVStream audio, AVStream videoOut, AVStream audioOut) {
            AVRational rate = video.avg_frame_rate().num() > 0 ? video.avg_frame_rate() : video.r_frame_rate();
            AVRational videoFrame = rate.num() > 0 ? avutil.av_inv_q(rate) : null;
            AVCodecParameters a = audio == null ? null : audio.codecpar();
            AVRational audioFrame = a != null && a.frame_size() > 0 && a.sample_rate() > 0
                    ? avutil.av_make_q(a.frame_size(), a.sample_rate()) : null;
            return new Streams(new Lane.Output(videoOut), audioOut == null ? null : new Lane.Output(audioOut),
                    videoFrame, audioFrame);
        }

        int derived() {
            return derived + videoOut.adjusted() + (audioOut == null ? 0 : audioOut.adjusted());
        }

        void count(Lane lane) {
            if (lane != null) {
                derived += lane.timestamps.derived();
                dropped += lane.timestamps.dropped();
            }
        }
    }

    /** Copies one segment's packets, rebased onto the timeline; the first also cuts the start. */
    private static void copySegment(AVFormatContext in, AVFormatContext out, Streams streams, Timeline timeline,
            boolean first) throws IOException {
        Lane video = null;
        Lane audio = null;
        for (int s = 0; s < in.nb_streams(); s++) {
            AVStream stream = in.streams(s);
            int type = stream.codecpar().codec_type();
            if (type == avutil.AVMEDIA_TYPE_VIDEO && video == null) {
                video = new Lane(stream, streams.videoOut, streams.videoFrame, true);
            } else if (type == avutil.AVMEDIA_TYPE_AUDIO && audio == null && streams.audioOut != null) {
                audio = new Lane(stream, streams.audioOut, streams.audioFrame, false);
            }
        }
        if (video == null) {
            return; // nothing to anchor this segment on
        }
        AVPacket packet = avcodec.av_packet_alloc();
        List<AVPacket> waiting = new ArrayList<>(); // audio read before this segment's first video frame
        List<AVPacket> gop = new ArrayList<>(); // video pre-roll since the last keyframe before the start
        List<AVPacket> tail = new ArrayList<>(); // video past the end, which frames before the end may refer to
        boolean writingVideo = false; // from the first frame shown in the clip on, every video frame is written
        try {
            while (!timeline.done() && avformat.av_read_frame(in, packet) >= 0) {
                int index = packet.stream_index();
                if (index == video.input && video.timestamps.fill(packet)) {
                    long micros = video.micros(packet.pts());
                    if (!timeline.segmentAnchored()) {
                        timeline.anchorSegment(micros, first);
                        video.shiftBy(timeline.shiftMicros());
                        if (audio != null) {
                            audio.shiftBy(timeline.shiftMicros());
                        }
                        for (AVPacket held : waiting) {
                            writeAudio(held, audio, out, timeline);
                            avcodec.av_packet_free(held);
                        }
                        waiting.clear();
                    }
                    long at = timeline.rebase(micros);
                    timeline.videoSeen(at);
                    boolean key = (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
                    if (at < 0 && writingVideo) {
                        // Shown before the start but decoded after a frame that is not: with B-pyramids (x264's
                        // default) later frames may refer to it, so it is written and hidden by the edit list.
                        writeVideo(packet, video, out, timeline);
                    } else if (at < 0) {
                        // Before the requested start: keep only the GOP the first shown frame depends on.
                        if (key) {
                            gop.forEach(avcodec::av_packet_free);
                            gop.clear();
                        }
                        if (key || !gop.isEmpty()) {
                            gop.add(avcodec.av_packet_clone(packet));
                        }
                    } else if (at < timeline.lengthMicros()) {
                        writingVideo = true;
                        for (AVPacket held : gop) {
                            writeVideo(held, video, out, timeline);
                            avcodec.av_packet_free(held);
                        }
                        gop.clear();
                        for (AVPacket held : tail) {
                            video.write(held, out, false); // not counted as written: shown after the end
                            avcodec.av_packet_free(held);
                            streams.hidden++;
                        }
                        tail.clear();
                        writeVideo(packet, video, out, timeline);
                    } else if (at < timeline.lengthMicros() + REORDER_MARGIN_MICROS) {
                        // Past the end, but a frame still to come before the end may be decoded from it (B-frames):
                        // held until one does, then written and hidden by the edit list (see EditListEnd).
                        tail.add(avcodec.av_packet_clone(packet));
                    } else {
                        timeline.videoDone(); // well past the end, even allowing for B-frame reordering
                    }
                } else if (audio != null && index == audio.input && audio.timestamps.fill(packet)) {
                    if (!timeline.segmentAnchored()) {
                        waiting.add(avcodec.av_packet_clone(packet));
                    } else {
                        writeAudio(packet, audio, out, timeline);
                    }
                }
                avcodec.av_packet_unref(packet);
            }
        } finally {
            waiting.forEach(avcodec::av_packet_free);
            gop.forEach(avcodec::av_packet_free);
            tail.forEach(avcodec::av_packet_free);
            avcodec.av_packet_free(packet);
            timeline.endSegment();
            streams.count(video);
            streams.count(audio);
        }
    }

    private static void writeVideo(AVPacket packet, Lane video, AVFormatContext out, Timeline timeline)
            throws IOException {
        timeline.videoWritten(timeline.rebase(video.micros(packet.pts())));
        video.write(packet, out, false);
    }


    private static void writeAudio(AVPacket packet, Lane audio, AVFormatContext out, Timeline timeline)
            throws IOException {
        long pts = timeline.rebase(audio.micros(packet.pts()));
        long duration = audio.micros(packet.duration());
        // Audio ending before the start is cut; so is audio from the end on, and any overlap at a join.
        if (pts + duration <= 0 || pts >= timeline.lengthMicros() || !timeline.audioAfterLast(pts)) {
            return;
        }
        audio.write(packet, out, true);
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

    /** One frame in microseconds, from the probed first segment (30 fps when it does not say). */
    private static long frameDuration(AVStream video) {
        AVRational rate = video.avg_frame_rate().num() > 0 ? video.avg_frame_rate() : video.r_frame_rate();
        return rate.num() > 0 ? avutil.av_rescale_q(1, avutil.av_inv_q(rate), Lane.MICROS) : 33_333;
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
