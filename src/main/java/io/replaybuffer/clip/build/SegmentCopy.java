package io.replaybuffer.clip.build;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * The packet side of {@link StreamCopyMp4}: copies one segment's packets onto the clip's {@link Timeline}, cutting
 * the start (keeping the GOP the first shown frame needs), the end (keeping, hidden, what B-frames before it refer
 * to) and audio on the same clock. {@link Streams} is what holds across segments.
 */
final class SegmentCopy {

    /** Frames are read in decode order; stop only once presentation time is this far past the end. */
    private static final long REORDER_MARGIN_MICROS = 500_000;

    private SegmentCopy() {
    }

    /**
     * What holds for the whole build: the output streams, and the frame durations the unprobed segments lack (read
     * from the probed first one). Also the tally of timestamps derived and packets dropped.
     */
    static final class Streams {
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
    static void copySegment(AVFormatContext in, AVFormatContext out, Streams streams, Timeline timeline,
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
}
