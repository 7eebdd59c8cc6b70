package io.replaybuffer.clip.build;

import io.replaybuffer.clip.ClipMarker;
import io.replaybuffer.platform.media.FfmpegNatives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
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
 * <li>Markers become chapters ({@link Chapters}); {@link SegmentCopy} copies the packets.</li>
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

    private StreamCopyMp4() {
    }

    /** Writes {@code [from, from + length)} of {@code segments} to {@code output}. */
    public static Result build(List<Input> segments, Instant from, Duration length, Path output) throws IOException {
        return build(segments, from, length, List.of(), output);
    }

    /** As {@link #build(List, Instant, Duration, Path)}, with {@code markers} written as chapters ({@link Chapters}). */
    public static Result build(List<Input> segments, Instant from, Duration length, List<ClipMarker> markers,
            Path output) throws IOException {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no segments");
        }
        FfmpegNatives.load();
        try {
            return write(segments, from, length, markers, output, false);
        } catch (MoovTooSmall e) {
            Files.deleteIfExists(output);
            return write(segments, from, length, markers, output, true);
        }
    }

    private static Result write(List<Input> segments, Instant from, Duration length, List<ClipMarker> markers,
            Path output, boolean faststart) throws IOException {
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
            Chapters.add(out, markers, length); // read by the muxer when it starts: before the header
            AVDictionary options = new AVDictionary(null);
            if (faststart) {
                avutil.av_dict_set(options, "movflags", "+faststart", 0);
            } else {
                avutil.av_dict_set(options, "moov_size", Long.toString(moovEstimate(first.streams(video), length)
                        + Chapters.moovBytes(markers)), 0);
            }
            int header = avformat.avformat_write_header(out, options);
            avutil.av_dict_free(options);
            check(header, "write mp4 header");

            SegmentCopy.Streams streams = SegmentCopy.Streams.of(first.streams(video), audio >= 0 ? first.streams(audio) : null, videoOut, audioOut);
            Timeline timeline = new Timeline(segments.get(0).start(), from, length, frameDuration(first.streams(video)));
            for (int i = 0; i < segments.size() && !timeline.done(); i++) {
                AVFormatContext in = i == 0 ? first : open(segments.get(i).file(), false);
                try {
                    SegmentCopy.copySegment(in, out, streams, timeline, i == 0);
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
            if (!markers.isEmpty()) {
                Chapters.preferExactStarts(output);
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
