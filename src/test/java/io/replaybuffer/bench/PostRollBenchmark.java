package io.replaybuffer.bench;

import static io.replaybuffer.bench.Measures.loadAverage;

import static io.replaybuffer.testing.Api.as;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Post-roll beside a plain capture (issue 14): how long the answer takes, and how long until READY. A plain capture of
 * the last 20 s is READY one build after its request. A post-roll capture (the last 15 s and the next 5 s) cannot be
 * READY before its footage exists: here the fake egress lists the footage right after the answer, so
 * "listed to READY" is what the service adds (noticing the segment, closing the window, building). In production add
 * the wait itself: {@code waitingUntil} plus the segment's length and egress' upload. Footage: the fake egress' 320x180
 * 15 fps segments of 10 s. Writes target/benchmarks/post-roll.md; run by {@code scripts/bench post-roll}.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(CaptureBenchmark.Unthrottled.class)
class PostRollBenchmark {

    private static final int ROUNDS = 10;

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Test
    void answerAndReadyBesideAPlainCapture() throws Exception {
        String loadBefore = loadAverage();
        List<Double> plainAnswer = new ArrayList<>();
        List<Double> plainReady = new ArrayList<>();
        List<Double> postAnswer = new ArrayList<>();
        List<Double> postListedToReady = new ArrayList<>();
        List<Double> postReady = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Player p = Player.joining(fake, "bench-post");
            JsonPath buffer = p.start(600);
            String egress = buffer.getString("egressId");
            String bufferId = buffer.getString("id");
            fake.emitSegments(egress, 3);

            long t0 = System.nanoTime();
            String plain = capture(p, bufferId, Map.of("durationSeconds", 20));
            plainAnswer.add(ms(System.nanoTime() - t0));
            awaitReady(p, plain);
            plainReady.add(ms(System.nanoTime() - t0));

            long t1 = System.nanoTime();
            String post = capture(p, bufferId, Map.of("durationSeconds", 20, "afterSeconds", 5));
            postAnswer.add(ms(System.nanoTime() - t1));
            // Two segments: the fake dates footage from when it starts encoding, so on a loaded machine the request
            // may come several seconds after the footage's end, and one segment may not reach the window's end.
            fake.emitSegments(egress, 2);
            long listed = System.nanoTime();
            awaitReady(p, post);
            long ready = System.nanoTime();
            postListedToReady.add(ms(ready - listed));
            postReady.add(ms(ready - t1));
        }
        String report = String.format(Locale.ROOT, """
                ## Post-roll

                %d rounds, each on a new buffer of the fake egress (three 10 s segments of 320x180 at 15 fps): a plain
                capture of the last 20 s, then a post-roll capture of the last 15 s and the next 5 s, whose footage the
                fake lists right after the answer (two segments; "listed" is when the second is). Figures in ms, median / p95 / max; load average (1 min)
                %s before, %s after, on %d cores. Command: `scripts/bench post-roll`.

                | | answer | to READY |
                |---|---|---|
                | plain capture (last 20 s) | %s | %s from the request |
                | post-roll capture (15 s + next 5 s) | %s | %s from the segment's listing; %s from the request |

                The answer does the same work for both (window, quota, links) plus, for post-roll, claiming the build
                lease and writing `wait.json`. From listing to READY is the wait's pass interval (250 ms) plus the same
                build; in production a post-roll clip is READY about `waitingUntil` + one segment + that.
                """, ROUNDS, loadBefore, loadAverage(), Runtime.getRuntime().availableProcessors(),
                stats(plainAnswer), stats(plainReady), stats(postAnswer), stats(postListedToReady), stats(postReady));
        System.out.println(report);
        Files.createDirectories(Benchmarks.SECTIONS);
        Files.writeString(Benchmarks.SECTIONS.resolve("post-roll.md"), report);
    }

    private static String capture(Player p, String bufferId, Map<String, Object> body) {
        return as(p.user()).contentType("application/json").body(body)
                .post("/api/v1/replay-buffers/" + bufferId + "/captures").then().statusCode(202)
                .extract().jsonPath().getString("id");
    }

    private static void awaitReady(Player p, String clipId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                "READY".equals(as(p.user()).get("/api/v1/clips/" + clipId).jsonPath().getString("status")));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String stats(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        double p95 = sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", median, p95, sorted.get(sorted.size() - 1));
    }
}
