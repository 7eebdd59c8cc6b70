package io.replaybuffer.bench;

import static io.replaybuffer.testing.Api.as;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.SseClient;
import io.replaybuffer.testing.TestFootage;
import io.replaybuffer.testing.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import static org.awaitility.Awaitility.await;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.egress.simulated.TestPatternEncoder;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.path.json.JsonPath;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The capture benchmark of issue 4, through the real HTTP path of a running service: a 10-minute capture of 1080p60
 * footage (60 segments of 10 s at about 6 Mbit/s), on two footage sets: the project's encoder, and GStreamer with
 * LiveKit egress's elements (B-frames, timestamps from 3600 s; issue 11). Peers in the same run, on the same files:
 * {@code ffmpeg -f concat -c copy -movflags +faststart} and a plain {@code cat} (the floor: just moving the bytes).
 * Writes its report to target/benchmarks/capture.md; run by {@code scripts/bench capture}.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(CaptureBenchmark.Unthrottled.class)
class CaptureBenchmark {

    /** No rate limit in the way of repeated captures. */
    public static class Unthrottled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("replay.capture.rate", "1000/1m", "replay.quota.bytes", "1099511627776");
        }
    }

    private static final int SEGMENTS = 60;
    private static final int SECONDS = 10;
    private static final int BUILD_ROUNDS = 5;
    private static final int SECURE_ROUNDS = 35;
    private static final TestPatternEncoder.Format FULL_HD_60 =
            new TestPatternEncoder.Format(1920, 1080, 60, 6_000_000, 48_000, 128_000);

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @TestHTTPResource("/api/v1/events")
    URI events;

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tenMinutesOf1080p60() throws Exception {
        String own = measure(ownFootage(), "bench", """
                ### Footage from the project's encoder

                Sixty copies of one 10 s segment from the simulated egress's encoder (OpenH264 or x264 through JavaCV: no
                B-frames, one AAC frame per PES packet); every copy restarts its timestamps, which the service rebases
                anyway (ffmpeg's concat demuxer does the same).""");
        String gstreamer = measure(gstreamerFootage(), "bench-gst", """
                ### Footage from GStreamer with LiveKit egress's elements

                Sixty consecutive 10 s segments of one recording made by `gst-launch-1.0` with the elements egress builds
                its HLS output from: `x264enc speed-preset=veryfast option-string=scenecut=0` (the preset's B-frames: 3,
                adaptive, pyramid), `splitmuxsink muxer-factory=mpegtsmux send-keyframe-requests=true`, `avenc_aac`;
                timestamps from 3600 s. Made once by `TestFootage` and cached under `target/test-footage/` (the first
                run spends about 45 minutes encoding it on two cores).""");
        String report = String.format(Locale.ROOT, """
                ## Capture: 10 minutes of 1080p60, request to READY

                Workload: 60 segments of %d s, %dx%d at %d fps, H.264 about 6 Mbit/s + AAC, captured whole
                through `POST /api/v1/replay-buffers/{id}/captures` on a running service (real PostgreSQL and Redis),
                then waited for the `clip.ready` event over SSE. Every timed step starts after `sync`. The MP4 is synced to disk before READY; the peers do not sync.
                Peers on the same files in the same run: `ffmpeg -f concat -safe 0 -i list -c copy -movflags +faststart`
                (%s) and `cat` of the same bytes (the floor). Medians of %d rounds after one warm-up round.
                Run with `scripts/bench capture`; two footage sets, each in its own buffer.

                %s
                %s""", SECONDS, FULL_HD_60.width(), FULL_HD_60.height(), FULL_HD_60.fps(), ffmpegVersion(), BUILD_ROUNDS,
                own, gstreamer);
        Files.createDirectories(Path.of("target/benchmarks"));
        Files.writeString(Path.of("target/benchmarks/capture.md"), report);
        System.out.println(report);
    }

    /** Captures {@code footage} whole, again and again, beside its peers: one table of figures under {@code title}. */
    private String measure(List<Path> footage, String user, String title) throws Exception {
        long bytes = 0;
        for (Path f : footage) {
            bytes += Files.size(f);
        }
        Player player = Player.joining(fake, user);
        JsonPath buffer = player.start(3600);
        fake.adoptSegments(buffer.getString("egressId"), footage, SECONDS);
        String bufferId = buffer.getString("id");

        List<Double> secure = new ArrayList<>();
        List<Double> build = new ArrayList<>();
        List<Double> ffmpeg = new ArrayList<>();
        List<Double> cat = new ArrayList<>();
        HeapWatch heap = new HeapWatch();
        String loadBefore = loadAverage();
        Path scratch = Files.createTempDirectory("bench-peers");
        Path list = scratch.resolve("list.txt");
        Files.write(list, footage.stream().map(f -> "file '" + f.toAbsolutePath() + "'").toList());
        for (int round = 0; round < BUILD_ROUNDS + 1; round++) {
            // Each timed step starts with no dirty pages left by the one before: otherwise whoever runs next pays
            // for the kernel flushing the previous output.
            settle(scratch);
            double[] ours = captureOnce(player.user(), bufferId, heap);
            settle(scratch);
            double peer = run(scratch, "ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list.toString(),
                    "-c", "copy", "-movflags", "+faststart", scratch.resolve("ffmpeg.mp4").toString());
            settle(scratch);
            double floor = run(scratch, "sh", "-c", "cat " + String.join(" ", footage.stream()
                    .map(f -> f.toAbsolutePath().toString()).toList()) + " > " + scratch.resolve("cat.ts"));
            if (round > 0) { // the first round warms caches and the JIT
                secure.add(ours[0]);
                build.add(ours[1]);
                ffmpeg.add(peer);
                cat.add(floor);
            }
        }
        for (int round = 0; round < SECURE_ROUNDS; round++) {
            settle(scratch); // the previous clip's 330 MB delete must not be charged to this capture
            secure.add(captureOnce(player.user(), bufferId, heap)[0]);
        }
        io.replaybuffer.testing.Trees.deleteTree(scratch);

        // On a shared machine the load drifts between rounds; each round's own ratio compares neighbours in time.
        List<Double> perRound = new ArrayList<>();
        for (int i = 0; i < build.size(); i++) {
            perRound.add(build.get(i) / ffmpeg.get(i));
        }
        double buildMedian = median(build);
        double ffmpegMedian = median(ffmpeg);
        double catMedian = median(cat);
        return String.format(Locale.ROOT, """
                %s
                %.1f Mbit/s, %.0f MB in all. Load average (1 min) before and after: %s, %s on %d cores.

                | measure | value |
                |---|---|
                | secure step (request → 202 answer), p50 / p95 of %d | %.1f ms / **%.1f ms** |
                | build (request → READY), median | **%.3f s** |
                | ffmpeg concat + faststart, median | %.3f s |
                | cat of the same bytes, median | %.3f s |
                | **ratio build / ffmpeg** | **%.2f** (target ≤ 0.5) |
                | ratio within each round, median (all: %s) | %.2f |
                | ratio build / cat (floor) | %.2f |
                | Java heap allocated by one build (build threads, most of any round) | %.1f MiB |
                """, title, bytes * 8.0 / footage.size() / SECONDS / 1e6, bytes / 1e6, loadBefore, loadAverage(),
                Runtime.getRuntime().availableProcessors(), secure.size(),
                percentile(secure, 50), percentile(secure, 95), buildMedian, ffmpegMedian, catMedian,
                buildMedian / ffmpegMedian,
                String.join(", ", perRound.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()),
                median(perRound), buildMedian / catMedian, heap.peakAboveBaseline() / 1048576.0);
    }

    /**
     * One capture of the whole buffer, timed the way a client sees it: request sent → 202 answer, and → the
     * {@code clip.ready} event over SSE. Waits for the post-READY thumbnail and checksum, so the next measurement
     * (ours or a peer's) does not share the CPU with it; then deletes the clip.
     */
    private double[] captureOnce(String user, String bufferId, HeapWatch heap) throws Exception {
        try (SseClient events = new SseClient(this.events, Tokens.user(user))) {
            await().atMost(Duration.ofSeconds(5)).until(events::connected);
            HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/replay-buffers/" + bufferId + "/captures"))
                    .header("Authorization", Tokens.bearer(Tokens.user(user)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"durationSeconds\":" + SEGMENTS * SECONDS + "}")).build();
            heap.start();
            long t0 = System.nanoTime();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("capture answered " + answer.statusCode() + ": " + answer.body());
            }
            String clipId = io.restassured.path.json.JsonPath.from(answer.body()).getString("id");
            if (!events.await("clip.ready", clipId, Duration.ofSeconds(60))) {
                throw new IllegalStateException("clip " + clipId + " never became ready");
            }
            long ready = System.nanoTime();
            heap.stop();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    as(user).get("/api/v1/clips/" + clipId).jsonPath().getString("thumbnailUrl") != null);
            as(user).delete("/api/v1/clips/" + clipId).then().statusCode(204);
            return new double[] {(answered - t0) / 1e6, (ready - t0) / 1e9};
        }
    }

    /** The project encoder's footage, encoded once and cached under target/ (encoding 1080p60 takes a while). */
    private static List<Path> ownFootage() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/bench-footage/1080p60"));
        Path one = dir.resolve("segment.ts");
        if (!Files.exists(one)) {
            Path part = dir.resolve("segment.ts.part");
            new TestPatternEncoder(FULL_HD_60).writeSegment(part, SECONDS, 0);
            Files.move(part, one);
        }
        // Sixty copies of one encoded segment: stream copy does not look at the pictures, and every copy restarts
        // its timestamps, which the service must rebase anyway (ffmpeg's concat demuxer does the same).
        return Collections.nCopies(SEGMENTS, one);
    }

    /** Ten minutes from GStreamer, continuous: made once (about half an hour on two cores) and cached by TestFootage. */
    private static List<Path> gstreamerFootage() {
        return TestFootage.files(TestFootage.Source.GSTREAMER, new TestFootage.Spec(FULL_HD_60.width(),
                FULL_HD_60.height(), FULL_HD_60.fps(), SECONDS, SEGMENTS));
    }

    /** The 1-minute load average: on a shared machine the figures mean little without it. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double run(Path dir, String... command) throws Exception {
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command[0] + " failed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void settle(Path scratch) throws Exception {
        Files.deleteIfExists(scratch.resolve("ffmpeg.mp4"));
        Files.deleteIfExists(scratch.resolve("cat.ts"));
        new ProcessBuilder("sync").start().waitFor();
    }

    private static String ffmpegVersion() throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-version").start();
        String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("ffmpeg");
        p.waitFor();
        return first.replaceAll(" Copyright.*", "");
    }

    private static double median(List<Double> values) {
        return percentile(values, 50);
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /**
     * Java heap allocated by the build threads (clip-build-*) between start and stop: what a build costs the heap,
     * without the noise of the test harness sharing the JVM. The media itself lives in native buffers.
     */
    private static final class HeapWatch {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private long before;
        private long peak;

        void start() {
            before = allocatedByBuilds();
        }

        void stop() {
            peak = Math.max(peak, allocatedByBuilds() - before);
        }

        long peakAboveBaseline() {
            return peak;
        }

        private long allocatedByBuilds() {
            long total = 0;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("clip-build-")) {
                    total += Math.max(0, threads.getThreadAllocatedBytes(thread.getId()));
                }
            }
            return total;
        }
    }
}
