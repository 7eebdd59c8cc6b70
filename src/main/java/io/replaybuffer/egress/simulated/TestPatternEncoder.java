package io.replaybuffer.egress.simulated;

import io.replaybuffer.platform.media.FfmpegNatives;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Encodes real H.264 + AAC MPEG-TS segments of a moving test pattern and a tone, shaped like egress output: every
 * segment opens with an IDR frame and holds exactly its duration. Raw YUV is generated directly (no colour
 * conversion) so a small preset costs little CPU.
 */
public final class TestPatternEncoder {

    /** Picture and sound settings. {@code videoBitrate} in bits per second. */
    public record Format(int width, int height, int fps, int videoBitrate, int sampleRate, int audioBitrate) {

        /** Light enough to run several simulated buffers on a laptop. */
        public static final Format SIMULATED = new Format(640, 360, 30, 800_000, 44_100, 96_000);

        public int framesIn(double seconds) {
            return (int) Math.round(seconds * fps);
        }
    }

    private static final double TIMESTAMP_BASE_SECONDS = 10;

    private final Format format;
    private final byte[] yuv;
    private final short[] samples;

    public TestPatternEncoder(Format format) {
        this.format = format;
        this.yuv = new byte[format.width() * format.height() * 3 / 2];
        this.samples = new short[format.sampleRate() / format.fps() * 2];
    }

    public Format format() {
        return format;
    }

    /**
     * Writes one segment to {@code file}. {@code firstFrame} continues the pattern, the tone's phase and the
     * timestamps from the previous segment, so consecutive segments play as one continuous recording.
     */
    public void writeSegment(Path file, double seconds, long firstFrame) throws IOException {
        FfmpegNatives.load();
        int frames = format.framesIn(seconds);
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), format.width(), format.height(), 2)) {
            recorder.setFormat("mpegts");
            // Egress cuts one continuous stream, so timestamps carry on from segment to segment: shift this one's.
            // The constant base keeps AAC priming from going negative, which would make the muxer shift only the
            // first segment by one audio frame.
            recorder.setOption("output_ts_offset", String.format(java.util.Locale.ROOT, "%.6f",
                    TIMESTAMP_BASE_SECONDS + (double) firstFrame / format.fps()));
            recorder.setVideoCodecName(FfmpegNatives.h264Encoder());
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(format.fps());
            recorder.setGopSize(frames); // one IDR at the start of each segment, as egress forces at boundaries
            recorder.setVideoBitrate(format.videoBitrate());
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            recorder.setSampleRate(format.sampleRate());
            recorder.setAudioChannels(2);
            recorder.setAudioBitrate(format.audioBitrate());
            recorder.start();
            int samplesPerFrame = format.sampleRate() / format.fps();
            for (int i = 0; i < frames; i++) {
                long frame = firstFrame + i;
                paint(frame);
                recorder.recordImage(format.width(), format.height(), Frame.DEPTH_UBYTE, 1, format.width(),
                        avutil.AV_PIX_FMT_YUV420P, ByteBuffer.wrap(yuv));
                tone(frame * samplesPerFrame);
                recorder.recordSamples(format.sampleRate(), 2, ShortBuffer.wrap(samples));
            }
            recorder.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("encoding a test-pattern segment failed", e);
        }
    }

    /** Diagonal bars that move one step per frame, with a frame-number bar code across the top. */
    private void paint(long frame) {
        int w = format.width();
        int h = format.height();
        int shift = (int) (frame * 4);
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                yuv[row + x] = (byte) ((x + y + shift) & 0xff);
            }
        }
        int bits = Math.min(32, w / 8);
        for (int b = 0; b < bits; b++) {
            byte level = (byte) (((frame >>> b) & 1) == 1 ? 235 : 16);
            for (int y = 0; y < Math.min(16, h); y++) {
                for (int x = b * 8; x < b * 8 + 8; x++) {
                    yuv[y * w + x] = level;
                }
            }
        }
        int chroma = w * h / 4;
        byte u = (byte) (128 + 40 * Math.sin(frame / 50.0));
        java.util.Arrays.fill(yuv, w * h, w * h + chroma, u);
        java.util.Arrays.fill(yuv, w * h + chroma, w * h + 2 * chroma, (byte) 128);
    }

    /** A 440 Hz tone, continuous across segments because the phase comes from the absolute sample number. */
    private void tone(long firstSample) {
        for (int i = 0; i < samples.length / 2; i++) {
            short value = (short) (8000 * Math.sin(2 * Math.PI * 440 * (firstSample + i) / format.sampleRate()));
            samples[2 * i] = value;
            samples[2 * i + 1] = value;
        }
    }
}
