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
    /** A temporary folder untouched this long belongs to a run that died. */
    private static final Duration ABANDONED = Duration.ofHours(1);

    private TestFootage() {
    }

    /** The segments of {@code source}'s footage for {@code spec}, in order, made on first use. */
    public static synchronized List<Segment> segments(Source source, Spec spec) {
        try {
            Path root = Files.createDirectories(root());
            List<String> command = FootageEncoders.command(source, spec);
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
                case OWN -> FootageEncoders.encodeOwn(spec, temp);
                case FFMPEG_CLI, GSTREAMER -> FootageEncoders.runTool(command, temp, FootageEncoders.timeout(spec));
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

    private static List<Segment> read(Path dir) throws IOException {
        List<Segment> segments = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(MANIFEST))) {
            String[] fields = line.split("\t");
            segments.add(new Segment(dir.resolve(fields[0]), Double.parseDouble(fields[1])));
        }
        return List.copyOf(segments);
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
