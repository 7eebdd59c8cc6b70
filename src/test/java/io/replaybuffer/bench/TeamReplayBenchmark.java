package io.replaybuffer.bench;

import static io.replaybuffer.testing.Api.as;
import static io.replaybuffer.testing.Api.asGameServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.SseClient;
import io.replaybuffer.testing.Team;
import io.replaybuffer.testing.Tokens;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Team replays beside a plain capture, through HTTP on a running service (real PostgreSQL and Redis): the answer
 * (202) latency, and the time from the request to the READY event over SSE ({@code clip.ready} to the player for a
 * single capture, {@code capture-group.ready} to the game server for a team). Rounds alternate single, team of one,
 * team of three, on the same buffers, so load drift hits all alike. Writes target/benchmarks/team-replay.md; run by
 * {@code scripts/bench team-replay}.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(CaptureBenchmark.Unthrottled.class)
class TeamReplayBenchmark {

    private static final int ROUNDS = 15;
    private static final int WINDOW_SECONDS = 20;

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @TestHTTPResource("/api/v1/events")
    URI events;

    /** Answer and READY times of one kind of request, in milliseconds. */
    private record Timings(List<Double> answer, List<Double> ready) {
        Timings() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        String row(String name) {
            return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.0f | %.0f |", name, Measures.median(answer),
                    Measures.percentile(answer, 90), Measures.median(ready), Measures.percentile(ready, 90));
        }
    }

    @Test
    void teamReplaysBesideASingleCapture() throws Exception {
        List<Player> players = Team.joining(fake, "bench-team", 3);
        List<String> bufferIds = new ArrayList<>();
        Instant end = Instant.now();
        for (Player p : players) {
            JsonPath buffer = Team.start(p, 600);
            fake.emitSegments(buffer.getString("egressId"), 6, end);
            bufferIds.add(buffer.getString("id"));
        }
        String server = Api.uniqueUser("bench-game-server");
        Player first = players.get(0);
        Map<String, Object> window = Map.of("durationSeconds", WINDOW_SECONDS);
        Map<String, Object> teamOfOne = Map.of("durationSeconds", WINDOW_SECONDS, "participants", List.of(first.user()));
        Timings single = new Timings();
        Timings one = new Timings();
        Timings three = new Timings();
        String loadBefore = Measures.loadAverage();
        try (SseClient playerStream = new SseClient(events, Tokens.user(first.user()));
                SseClient serverStream = new SseClient(events, Tokens.gameServer(server))) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> playerStream.connected() && serverStream.connected());
            for (int round = -1; round < ROUNDS; round++) { // round -1 warms up, unrecorded
                boolean record = round >= 0;
                long t0 = System.nanoTime();
                String clipId = as(first.user()).contentType("application/json").body(window)
                        .post("/api/v1/replay-buffers/" + bufferIds.get(0) + "/captures")
                        .then().statusCode(202).extract().jsonPath().getString("id");
                long answered = System.nanoTime();
                awaitEvent(playerStream, "clip.ready", clipId);
                add(record, single, t0, answered, System.nanoTime());
                for (var team : List.of(Map.entry(teamOfOne, one), Map.entry(window, three))) {
                    t0 = System.nanoTime();
                    String groupId = asGameServer(server).contentType("application/json").body(team.getKey())
                            .post("/api/v1/rooms/" + first.room() + "/captures")
                            .then().statusCode(202).extract().jsonPath().getString("groupId");
                    answered = System.nanoTime();
                    awaitEvent(serverStream, "capture-group.ready", groupId);
                    add(record, team.getValue(), t0, answered, System.nanoTime());
                }
            }
        }
        String report = String.format(Locale.ROOT, """
                ## Team replays beside a single capture

                Three players in one room, each with a buffer of six 10 s segments of the fake egress's footage
                (320x180 at 15 fps, H.264 + AAC); every request captures %d s. Timed through HTTP on a running service
                (real PostgreSQL and Redis): the answer (202) and the READY event over SSE (`clip.ready` to the player,
                `capture-group.ready` to the game server), from the request. Rounds alternate the three kinds, %d
                rounds after one warm-up; medians and 90th percentiles in ms. Load average (1 min) before and after: %s,
                %s on %d cores. Run with `scripts/bench team-replay`.

                | request | answer p50 | answer p90 | READY p50 | READY p90 |
                |---|---|---|---|---|
                %s
                %s
                %s

                A team replay answers after securing every player's footage (one transaction and a few hard links per
                player, one after the other), so its answer grows with the team; its clips are built by the same
                build queue (`REPLAY_CAPTURE_CONCURRENCY`), so READY for three players is about the time of their
                builds shared between the queue's threads.
                """, WINDOW_SECONDS, ROUNDS, loadBefore, Measures.loadAverage(),
                Runtime.getRuntime().availableProcessors(), single.row("single capture (player)"),
                one.row("team replay of 1"), three.row("team replay of 3"));
        Files.createDirectories(Path.of("target/benchmarks"));
        Files.writeString(Path.of("target/benchmarks/team-replay.md"), report);
        System.out.println(report);
    }

    private static void awaitEvent(SseClient stream, String event, String id) throws InterruptedException {
        if (!stream.await(event, id, Duration.ofSeconds(60))) {
            throw new AssertionError("no " + event + " for " + id + " within 60 s");
        }
    }

    private static void add(boolean record, Timings timings, long t0, long answered, long ready) {
        if (record) {
            timings.answer().add(Benchmarks.millis(answered - t0));
            timings.ready().add(Benchmarks.millis(ready - t0));
        }
    }
}
