package io.replaybuffer.testing;

import io.replaybuffer.egress.simulated.TestPatternEncoder;
import io.replaybuffer.testing.TestFootage.Source;
import io.replaybuffer.testing.TestFootage.Spec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How {@link TestFootage} makes each source's segments: the exact command lines of the ffmpeg CLI and of gst-launch
 * with LiveKit egress's elements, and the project's own encoder in process.
 */
final class FootageEncoders {

    static final int SAMPLE_RATE = 48_000;

    private FootageEncoders() {
    }

    /**
     * Runs an encoder into {@code temp}, up to three times: gst-launch has been seen to hang at EOS with every segment
     * written (splitmuxsink, on a machine loaded far past its cores), and a run killed at its timeout is run again
     * from an empty folder.
     */
    static void runTool(List<String> command, Path temp, Duration timeout)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                OsTools.exec(new ProcessBuilder(command).directory(temp.toFile()), timeout);
                return;
            } catch (OsTools.TimedOut hung) {
                if (attempt == 3) {
                    throw hung;
                }
                System.out.printf(Locale.ROOT, "test footage: %s hung (attempt %d), running it again%n",
                        command.get(0), attempt);
                try (DirectoryStream<Path> left = Files.newDirectoryStream(temp)) {
                    for (Path file : left) {
                        Files.delete(file);
                    }
                }
            }
        }
    }

    /** The exact command line; for {@code OWN}, a description of the in-process encoding. */
    static List<String> command(Source source, Spec spec) {
        return switch (source) {
            case OWN -> List.of("TestPatternEncoder", ownFormat(spec).toString(), "segments=" + spec.count(),
                    "seconds=" + spec.segmentSeconds());
            case FFMPEG_CLI -> ffmpeg(spec);
            case GSTREAMER -> gstreamer(spec);
        };
    }

    private static List<String> ffmpeg(Spec spec) {
        String ffmpeg = OsTools.require("ffmpeg", "ffmpeg");
        int gop = spec.framesPerSegment();
        return List.of(ffmpeg, "-nostdin", "-hide_banner", "-v", "error",
                "-f", "lavfi", "-i", "testsrc2=size=" + spec.width() + "x" + spec.height() + ":rate=" + spec.fps(),
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + SAMPLE_RATE,
                "-t", Integer.toString(spec.totalSeconds()), "-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", Integer.toString(gop),
                "-keyint_min", Integer.toString(gop), "-sc_threshold", "0", "-b:v", spec.videoKbps() + "k",
                "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2",
                "-output_ts_offset", "10",
                "-f", "segment", "-segment_time", Integer.toString(spec.segmentSeconds()),
                "-segment_format", "mpegts", "seg-%05d.ts");
    }

    private static List<String> gstreamer(Spec spec) {
        String launch = OsTools.require("gst-launch-1.0", "gstreamer1.0-tools");
        requireElement("x264enc", "gstreamer1.0-plugins-ugly");
        requireElement("avenc_aac", "gstreamer1.0-libav");
        requireElement("mpegtsmux", "gstreamer1.0-plugins-bad");
        requireElement("h264parse", "gstreamer1.0-plugins-bad");
        requireElement("splitmuxsink", "gstreamer1.0-plugins-good");
        requireElement("aacparse", "gstreamer1.0-plugins-good");
        requireElement("videotestsrc", "gstreamer1.0-plugins-base");
        int frames = spec.framesPerSegment() * spec.count();
        // Audio stops no later than the video: splitmuxsink waits at the end for a keyframe otherwise. The queues
        // are unbounded because splitmuxsink holds a whole GOP before it writes it, and at 1080p a 1 s queue on one
        // branch stalls the other for good.
        long audioBuffers = (long) spec.totalSeconds() * SAMPLE_RATE / 1024;
        String unbounded = "queue max-size-time=0 max-size-buffers=0 max-size-bytes=0";
        String pipeline = String.join(" ",
                "videotestsrc num-buffers=" + frames + " pattern=smpte horizontal-speed=4",
                "! video/x-raw,format=I420,width=" + spec.width() + ",height=" + spec.height() + ",framerate=" + spec.fps() + "/1",
                "! x264enc speed-preset=veryfast option-string=scenecut=0 bitrate=" + spec.videoKbps()
                        + " key-int-max=" + spec.framesPerSegment(),
                "! h264parse !", unbounded, "! mux.video",
                "audiotestsrc num-buffers=" + audioBuffers + " samplesperbuffer=1024 freq=440",
                "! audio/x-raw,rate=" + SAMPLE_RATE + ",channels=2 ! audioconvert ! avenc_aac bitrate=128000",
                "! aacparse !", unbounded, "! mux.audio_0",
                "splitmuxsink name=mux muxer-factory=mpegtsmux send-keyframe-requests=true",
                "max-size-time=" + spec.segmentSeconds() * 1_000_000_000L, "location=seg-%05d.ts");
        List<String> command = new ArrayList<>(List.of(launch, "-q", "-e"));
        command.addAll(List.of(pipeline.split(" ")));
        return command;
    }

    private static void requireElement(String element, String debianPackage) {
        String inspect = OsTools.require("gst-inspect-1.0", "gstreamer1.0-tools");
        OsTools.require("the GStreamer element " + element, debianPackage, () -> {
            try {
                return new ProcessBuilder(inspect, "--exists", element).start().waitFor() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private static TestPatternEncoder.Format ownFormat(Spec spec) {
        return new TestPatternEncoder.Format(spec.width(), spec.height(), spec.fps(), spec.videoKbps() * 1000,
                SAMPLE_RATE, 128_000);
    }

    static void encodeOwn(Spec spec, Path dir) throws IOException {
        TestPatternEncoder encoder = new TestPatternEncoder(ownFormat(spec));
        for (int i = 0; i < spec.count(); i++) {
            Path file = dir.resolve(String.format(Locale.ROOT, "seg-%05d.ts", i));
            encoder.writeSegment(file, spec.segmentSeconds(), (long) i * spec.framesPerSegment());
        }
    }

    /** Generous: x264's veryfast does about 20 frames of 1080p a second on two cores. */
    static Duration timeout(Spec spec) {
        double frames1080 = (double) spec.framesPerSegment() * spec.count() * spec.width() * spec.height()
                / (1920 * 1080);
        return Duration.ofSeconds(120 + Math.round(frames1080 * 0.2));
    }
}
