package io.replaybuffer.testing;

import io.replaybuffer.egress.simulated.TestPatternEncoder;
import io.replaybuffer.platform.media.FfmpegNatives;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * MPEG-TS segments (H.264 + AAC) made three ways, so that what reads them is tried on more than one writer's habits:
 * <ul>
 * <li>{@link Source#OWN}: the project's own encoder (the simulated egress's {@link TestPatternEncoder}): no B-frames,
 * one AAC frame per PES packet, timestamps from 10 s;</li>
 * <li>{@link Source#FFMPEG_CLI}: the {@code ffmpeg} command, libx264 with two B-frames, several AAC frames per PES
 * packet (their timestamps are left for the reader to derive), timestamps offset by 10 s (plus the muxer's 1.4 s);</li>
 * <li>{@link Source#GSTREAMER}: {@code gst-launch-1.0} with the elements LiveKit egress builds its HLS output from
 * ({@code x264enc speed-preset=veryfast option-string=scenecut=0}, whose preset brings B-frames,
 * {@code splitmuxsink muxer-factory=mpegtsmux send-keyframe-requests=true}, {@code avenc_aac}); mpegtsmux starts
 * timestamps near 3600 s.</li>
 * </ul>
 * Each set is made once and kept under {@code target/test-footage/<source>-<spec>-<hash>/}, the hash being that of
 * the exact command (for {@code OWN}: of the encoder's class file and format), so a changed command makes a new set.
 * It is written to a temporary folder and renamed into place whole: a killed run never leaves half a set behind;
 * concurrent test JVMs wanting the same set take turns on a lock file, so it is made once.
 * A missing tool is installed from the OS packages when the tests run as root on Debian, else the test fails naming
 * the package.
 */
public final class TestFootage {

    /** Who writes the segments. */
    public enum Source {
        OWN, FFMPEG_CLI, GSTREAMER
    }

    /** Picture size and rate, segment length in seconds, and how many segments, one continuous recording. */
    public record Spec(int width, int height, int fps, int segmentSeconds, int count) {

        /** Small and quick: six 2 s segments of 320x180 at 30 fps. */
        public static final Spec SMALL = new Spec(320, 180, 30, 2, 6);

        public Spec {
            if (width <= 0 || height <= 0 || fps <= 0 || segmentSeconds <= 0 || count <= 0 || width % 2 != 0
                    || height % 2 != 0) {
                throw new IllegalArgumentException("bad footage spec " + width + "x" + height + "@" + fps);
            }
        }

        public int framesPerSegment() {
            return fps * segmentSeconds;
        }

        public int totalSeconds() {
            return segmentSeconds * count;
        }

        /** About 0.05 bit a pixel, the density of LiveKit's 1080p60 preset (6 Mbit/s); at least 300 kbit/s. */
        public int videoKbps() {
            return (int) Math.max(300, Math.round(width * (double) height * fps * 0.048 / 1000));
        }

        String key() {
            return width + "x" + height + "p" + fps + "-" + segmentSeconds + "s-x" + count;
        }
    }

    /** One segment file and the length of its video, as probed. */
    public record Segment(Path file, double seconds) {
    }

    private static final String MANIFEST = "segments.tsv";
    private static final int SAMPLE_RATE = 48_000;
    /** A temporary folder untouched this long belongs to a run that died. */
    private static final Duration ABANDONED = Duration.ofHours(1);

    private TestFootage() {
    }

    /** The segments of {@code source}'s footage for {@code spec}, in order, made on first use. */
    public static synchronized List<Segment> segments(Source source, Spec spec) {
        try {
            Path root = Files.createDirectories(root());
            List<String> command = command(source, spec);
            String name = source.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + spec.key() + "-"
                    + hash(source, command);
            Path dir = root.resolve(name);
            if (!Files.exists(dir.resolve(MANIFEST))) {
                // Test JVMs (and scripts/bench) may want the same set at once: one makes it, the others wait for it.
                // The OS drops the lock of a process that dies, and what it left is only a temporary folder.
                try (FileChannel lockFile = FileChannel.open(root.resolve(name + ".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                    if (!Files.exists(dir.resolve(MANIFEST))) {
                        removeAbandoned(root);
                        make(source, spec, command, root, dir);
                    }
                }
            }
            return read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making footage", e);
        }
    }

    /** The segment files alone. */
    public static List<Path> files(Source source, Spec spec) {
        return segments(source, spec).stream().map(Segment::file).toList();
    }

    /** {@code target/test-footage}, or where {@code -Dtest.footage.dir} says. */
    public static Path root() {
        return Path.of(System.getProperty("test.footage.dir", "target/test-footage")).toAbsolutePath();
    }

    private static void make(Source source, Spec spec, List<String> command, Path root, Path dir)
            throws IOException, InterruptedException {
        Path temp = Files.createTempDirectory(root, ".tmp-" + dir.getFileName() + "-");
        try {
            long t0 = System.nanoTime();
            switch (source) {
                case OWN -> encodeOwn(spec, temp);
                case FFMPEG_CLI, GSTREAMER -> runTool(command, temp, timeout(spec));
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> made = Files.newDirectoryStream(temp, "seg-*.ts")) {
                made.forEach(files::add);
            }
            files.sort(null);
            if (files.size() != spec.count()) {
                throw new IllegalStateException(source + " made " + files.size() + " segments, not " + spec.count()
                        + ", with " + String.join(" ", command));
            }
            StringBuilder manifest = new StringBuilder();
            for (Path file : files) {
                manifest.append(file.getFileName()).append('\t')
                        .append(String.format(Locale.ROOT, "%.6f", MediaProbe.of(file).videoDuration())).append('\n');
            }
            Files.writeString(temp.resolve("command.txt"), String.join(" ", command) + "\n");
            Files.writeString(temp.resolve(MANIFEST), manifest);
            try {
                Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                Trees.deleteTree(temp); // another test JVM made the same set meanwhile: theirs is as good
            }
            System.out.printf(Locale.ROOT, "test footage %s made in %.1f s%n", dir.getFileName(),
                    (System.nanoTime() - t0) / 1e9);
        } catch (IOException | RuntimeException | Error | InterruptedException e) {
            Trees.deleteTree(temp);
            throw e;
        }
    }

    /**
     * Runs an encoder into {@code temp}, up to three times: gst-launch has been seen to hang at EOS with every segment
     * written (splitmuxsink, on a machine loaded far past its cores), and a run killed at its timeout is run again
     * from an empty folder.
     */
    private static void runTool(List<String> command, Path temp, Duration timeout)
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

    private static List<Segment> read(Path dir) throws IOException {
        List<Segment> segments = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(MANIFEST))) {
            String[] fields = line.split("\t");
            segments.add(new Segment(dir.resolve(fields[0]), Double.parseDouble(fields[1])));
        }
        return List.copyOf(segments);
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

    private static void encodeOwn(Spec spec, Path dir) throws IOException {
        TestPatternEncoder encoder = new TestPatternEncoder(ownFormat(spec));
        for (int i = 0; i < spec.count(); i++) {
            Path file = dir.resolve(String.format(Locale.ROOT, "seg-%05d.ts", i));
            encoder.writeSegment(file, spec.segmentSeconds(), (long) i * spec.framesPerSegment());
        }
    }

    /** Generous: x264's veryfast does about 20 frames of 1080p a second on two cores. */
    private static Duration timeout(Spec spec) {
        double frames1080 = (double) spec.framesPerSegment() * spec.count() * spec.width() * spec.height()
                / (1920 * 1080);
        return Duration.ofSeconds(120 + Math.round(frames1080 * 0.2));
    }

    /** Of the command without the tool's own path (so the cache survives a tool moving); for OWN, also of the encoder. */
    private static String hash(Source source, List<String> command) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : command.subList(source == Source.OWN ? 0 : 1, command.size())) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            if (source == Source.OWN) {
                try (InputStream code = TestPatternEncoder.class.getResourceAsStream("TestPatternEncoder.class")) {
                    if (code != null) {
                        digest.update(code.readAllBytes());
                    }
                }
                digest.update(FfmpegNatives.h264Encoder().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void removeAbandoned(Path root) throws IOException {
        Instant cutoff = Instant.now().minus(ABANDONED);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(root, ".tmp-*")) {
            for (Path temp : temps) {
                if (Files.getLastModifiedTime(temp).toInstant().isBefore(cutoff)) {
                    Trees.deleteTree(temp);
                }
            }
        }
    }
}
