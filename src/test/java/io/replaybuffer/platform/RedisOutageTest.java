package io.replaybuffer.platform;

import static io.replaybuffer.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.clip.quota.UserQuota;
import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.Faults;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.SseClient;
import io.replaybuffer.testing.ThrowawayRedis;
import io.replaybuffer.testing.Tokens;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis down (api.md, "Limits" and "Operations"): captures, downloads and event streams keep working; each replica
 * enforces its own share of every limit and says so in metrics; readiness stays UP (Redis is reported only in the
 * dependencies group); and what crosses replicas through Redis crosses again once it is back. Redis is the test's own
 * redis-server, killed or frozen (SIGSTOP) and started again on the same port.
 */
@QuarkusTest
@TestProfile(Faults.class)
class RedisOutageTest {

    /** The channels other replicas publish on: part of the wire contract between replicas. */
    private static final String EVENTS = "replay-buffer:events";
    private static final String QUOTA = "replay-buffer:quota-invalidate";

    @InjectFakeLiveKit
    FakeLiveKit fake;

    ThrowawayRedis redis;

    @TestHTTPResource("/api/v1/events")
    URI events;

    @AfterEach
    void redisBack() {
        redis.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> redisReported().equals("UP"));
    }

    @Test
    void capturesDownloadsAndEventStreamsKeepWorkingWhileRedisIsDead() throws Exception {
        Player player = Player.joining(fake, "redis-dead");
        JsonPath buffer = player.start(120);
        fake.emitSegments(buffer.getString("egressId"), 3);
        try (SseClient stream = new SseClient(events, Tokens.user(player.user()))) {
            await().atMost(Duration.ofSeconds(5)).until(stream::connected);
            redis.stop();

            String clip = timedCapture(player, buffer, "Redis dead");
            assertThat(stream.await("clip.ready", clip, Duration.ofSeconds(30)))
                    .as("clip.ready reaches a stream on this replica without Redis").isTrue();
            assertThat(Files.size(Clips.download(player.user(), clip))).isPositive();
            try (SseClient opened = new SseClient(events, Tokens.user(player.user()))) {
                await().atMost(Duration.ofSeconds(5)).until(opened::connected);
            }
        }
        assertThat(metric("replay_buffer_redis_degraded")).isEqualTo(1.0);
        assertThat(metric("replay_buffer_redis_fallbacks_total{feature=\"rate-limit\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(metric("replay_buffer_redis_fallbacks_total{feature=\"broadcast\"}")).isGreaterThanOrEqualTo(1.0);
        assertReadyButRedisReportedDown();
    }

    @Test
    void aRedisThatStopsAnsweringHoldsNothingUp() throws Exception {
        Player player = Player.joining(fake, "redis-frozen");
        JsonPath buffer = player.start(120);
        fake.emitSegments(buffer.getString("egressId"), 3);
        try (SseClient stream = new SseClient(events, Tokens.user(player.user()))) {
            await().atMost(Duration.ofSeconds(5)).until(stream::connected);
            redis.freeze();

            for (int i = 0; i < 2; i++) {
                String clip = timedCapture(player, buffer, "Redis frozen");
                assertThat(stream.await("clip.ready", clip, Duration.ofSeconds(30))).isTrue();
            }
        }
        assertReadyButRedisReportedDown();
    }

    @Test
    void eachReplicaEnforcesItsShareOfTheLimitUntilRedisIsBack() throws Exception {
        Player player = Player.joining(fake, "redis-share");
        JsonPath buffer = player.start(120);
        fake.emitSegments(buffer.getString("egressId"), 3);
        redis.stop();

        int share = Faults.CAPTURES_PER_MINUTE / Faults.REPLICAS;
        for (int i = 0; i < share; i++) {
            Clips.capture(player.user(), buffer.getString("id"), Map.of("durationSeconds", 5));
        }
        as(player.user()).contentType("application/json").body(Map.of("durationSeconds", 5))
                .post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures")
                .then().statusCode(429).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("rate-limited")).header("Retry-After", org.hamcrest.Matchers.notNullValue());

        // Back to counting in Redis, across replicas: the whole limit again (this Redis restarted empty).
        redis.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> redisReported().equals("UP"));
        assertThat(metric("replay_buffer_redis_degraded")).isEqualTo(0.0);
        for (int i = 0; i < Faults.CAPTURES_PER_MINUTE; i++) {
            Clips.capture(player.user(), buffer.getString("id"), Map.of("durationSeconds", 5));
        }
        as(player.user()).contentType("application/json").body(Map.of("durationSeconds", 5))
                .post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures").then().statusCode(429);
    }

    @Test
    void eventStreamsOpenedWhileRedisIsDeadAreCountedToThisReplicasShare() {
        String user = Api.uniqueUser("redis-streams");
        redis.stop();
        int share = 5 / Faults.REPLICAS; // REPLAY_MAX_STREAMS_PER_USER is 5 across replicas
        java.util.List<SseClient> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < share; i++) {
                SseClient client = new SseClient(events, Tokens.user(user));
                open.add(client);
                await().atMost(Duration.ofSeconds(10)).until(client::connected);
            }
            given().header("Authorization", Tokens.bearer(Tokens.user(user))).get("/api/v1/events")
                    .then().statusCode(429).body("type", org.hamcrest.Matchers.equalTo("too-many-streams"));
        } finally {
            open.forEach(SseClient::close);
        }
        assertThat(metric("replay_buffer_redis_fallbacks_total{feature=\"stream-limit\"}")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void eventsAndQuotaInvalidationsFromOtherReplicasArriveAgainOnceRedisIsBack() throws Exception {
        String user = Api.uniqueUser("redis-back");
        QuarkusTransaction.requiringNew().run(() -> {
            UserQuota quota = new UserQuota();
            quota.userId = user;
            quota.limitClips = 7;
            quota.updatedAt = Instant.now();
            quota.persist();
        });
        assertThat(as(user).get("/api/v1/quota").jsonPath().getInt("limitClips")).isEqualTo(7); // now cached
        try (SseClient stream = new SseClient(events, Tokens.user(user))) {
            await().atMost(Duration.ofSeconds(5)).until(stream::connected);
            redis.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("replay_buffer_redis_degraded") == 1.0
                    || redisReported().equals("DOWN"));
            redis.start();

            // What another replica's EventHub and QuotaService put on the channels, once this one listens again.
            await().atMost(Duration.ofSeconds(30)).until(() -> redis.publish(EVENTS, "{\"userId\":\"" + user
                    + "\",\"type\":\"buffer.stopped\",\"json\":\"{\\\"from\\\":\\\"elsewhere\\\"}\"}") > 0);
            assertThat(stream.await("buffer.stopped", "elsewhere", Duration.ofSeconds(5))).isTrue();

            QuarkusTransaction.requiringNew().run(() -> UserQuota.<UserQuota>findById(user).limitClips = 9);
            assertThat(as(user).get("/api/v1/quota").jsonPath().getInt("limitClips")).as("still cached").isEqualTo(7);
            await().atMost(Duration.ofSeconds(30)).until(() -> redis.publish(QUOTA, user) > 0);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> as(user).get("/api/v1/quota").jsonPath().getInt("limitClips") == 9);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> redisReported().equals("UP"));
        assertThat(metric("replay_buffer_redis_degraded")).isEqualTo(0.0);
    }

    private String timedCapture(Player player, JsonPath buffer, String what) {
        long start = System.nanoTime();
        String clip = Clips.capture(player.user(), buffer.getString("id"), Map.of("durationSeconds", 5)).getString("id");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("%s: capture answered 202 in %d ms%n", what, took.toMillis());
        assertThat(took).as("capture with " + what).isLessThan(Duration.ofSeconds(3));
        return clip;
    }

    private void assertReadyButRedisReportedDown() {
        JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(ready.getList("checks.name")).doesNotContain("redis", "livekit");
        JsonPath dependencies = dependencies();
        assertThat(dependencies.getString("status")).isEqualTo("DOWN");
        assertThat(dependencies.getString("checks.find { it.name == 'redis' }.status")).isEqualTo("DOWN");
    }

    private static String redisReported() {
        return dependencies().getString("checks.find { it.name == 'redis' }.status");
    }

    private static JsonPath dependencies() {
        return given().get("/q/health/group/dependencies").then().extract().jsonPath();
    }

    /** One sample of /q/metrics, by its name and labels as Prometheus prints them. */
    private static double metric(String series) {
        for (String line : given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }
}
