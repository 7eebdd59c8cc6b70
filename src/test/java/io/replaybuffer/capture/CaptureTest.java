package io.replaybuffer.capture;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.MediaProbe;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The capture button on real footage: every clip produced is probed. */
@QuarkusTest
class CaptureTest {

    /** One frame of the fake egress' 15 fps footage. */
    private static final double FRAME = 1.0 / 15;

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @jakarta.inject.Inject
    io.replaybuffer.clip.build.BuildQueue queue;

    private static void assertPlayableClip(Path mp4, double seconds) throws Exception {
        MediaProbe probe = MediaProbe.of(mp4);
        assertThat(probe.videoCodec()).isEqualTo("h264");
        assertThat(probe.audioCodec()).isEqualTo("aac");
        assertThat(probe.videoStart()).isCloseTo(0.0, within(FRAME));
        assertThat(probe.videoEnd()).as("duration within one frame").isCloseTo(seconds, within(FRAME));
        assertThat(probe.audioStart()).as("audio starts with the video").isCloseTo(probe.videoStart(), within(0.05));
        assertThat(probe.audioEnd()).isCloseTo(seconds, within(0.05));
        assertThat(MediaProbe.topLevelBoxes(mp4).indexOf("moov")).as("moov before mdat")
                .isLessThan(MediaProbe.topLevelBoxes(mp4).indexOf("mdat"));
        assertThat(probe.videoPackets()).as("every frame there, end to end").isBetween((int) (seconds * 15), (int) (seconds * 15) + 1);
    }

    @Test
    void capturesTheLastSecondsOfAnActiveBuffer() throws Exception {
        Player p = Player.joining(fake, "last");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 6);

        JsonPath clip = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 30, "title", "Clutch"));
        assertThat(clip.getString("status")).isEqualTo("PROCESSING");
        assertThat(clip.getDouble("durationSeconds")).isEqualTo(30.0);
        assertThat(clip.getBoolean("truncated")).isFalse();
        assertThat(clip.getString("title")).isEqualTo("Clutch");

        JsonPath ready = Clips.awaitDone(p.user(), clip.getString("id"));
        assertThat(ready.getString("status")).isEqualTo("READY");
        assertThat(ready.getDouble("durationSeconds")).isCloseTo(30.0, within(FRAME));
        assertThat(ready.getString("videoCodec")).isEqualTo("h264");
        assertThat(ready.getString("audioCodec")).isEqualTo("aac");
        assertThat(ready.getInt("width")).isEqualTo(320);
        assertThat(ready.getString("downloadUrl")).endsWith("/download");
        assertPlayableClip(Clips.download(p.user(), clip.getString("id")), 30.0);

        as(p.user()).get("/api/v1/quota").then().body("clipCount", equalTo(1))
                .body("usedBytes", equalTo(ready.getInt("sizeBytes")));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                as(p.user()).get("/api/v1/clips/" + clip.getString("id")).jsonPath().getString("thumbnailUrl") != null);
        as(p.user()).when().get("/api/v1/clips/" + clip.getString("id") + "/thumbnail.jpg")
                .then().statusCode(200).contentType("image/jpeg");
        assertThat(Files.list(Path.of("target/test-data/segments/.captures"))
                .anyMatch(f -> f.getFileName().toString().equals(clip.getString("id"))))
                .as("the capture folder is gone once built").isFalse();
    }

    @Test
    void capturesARangeInThePast() throws Exception {
        Player p = Player.joining(fake, "range");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 6);
        Instant oldest = Instant.parse(p.buffer(buffer.getString("id")).getString("oldestAt"));
        Map<String, Object> range = Map.of("startAt", oldest.plusMillis(12_500).toString(),
                "endAt", oldest.plusMillis(27_500).toString());
        JsonPath clip = Clips.capture(p.user(), buffer.getString("id"), range);
        assertThat(clip.getDouble("durationSeconds")).isEqualTo(15.0);
        assertThat(clip.getString("capturedFrom")).isEqualTo(oldest.plusMillis(12_500).toString());
        assertThat(Clips.awaitDone(p.user(), clip.getString("id")).getString("status")).isEqualTo("READY");
        assertPlayableClip(Clips.download(p.user(), clip.getString("id")), 15.0);
    }

    @Test
    void neverStitchesAcrossAGapAndSaysItTruncated() throws Exception {
        Player p = Player.joining(fake, "gap");
        JsonPath buffer = p.start(600);
        String egressId = buffer.getString("egressId");
        fake.emitSegments(egressId, 3);
        fake.retry(egressId, Duration.ofSeconds(5));
        fake.sendWebhook(egressId, "egress_updated"); // how the service learns the retry's names
        fake.emitSegments(egressId, 2);
        JsonPath clip = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 40));
        assertThat(clip.getBoolean("truncated")).isTrue();
        assertThat(clip.getDouble("durationSeconds")).isEqualTo(20.0);
        assertThat(clip.getString("detail")).contains("20.0 s").contains("40.0 s");
        assertThat(Clips.awaitDone(p.user(), clip.getString("id")).getString("status")).isEqualTo("READY");
        assertPlayableClip(Clips.download(p.user(), clip.getString("id")), 20.0);
    }

    @Test
    void nothingCapturableIsAClearProblem() {
        Player p = Player.joining(fake, "empty");
        JsonPath buffer = p.start(60);
        as(p.user()).contentType("application/json").body(Map.of("durationSeconds", 10))
                .when().post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures")
                .then().statusCode(409).contentType("application/problem+json").body("type", equalTo("nothing-to-capture"));
        as(p.user()).contentType("application/json").body(Map.of("durationSeconds", 10, "startAt", Instant.now().toString()))
                .when().post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures")
                .then().statusCode(400).body("type", equalTo("invalid-request"));
        as(p.user()).contentType("application/json").body(Map.of("durationSeconds", -3))
                .when().post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures")
                .then().statusCode(400).body("errors[0].field", equalTo("durationSeconds"));
        as("someone-else").contentType("application/json").body(Map.of("durationSeconds", 10))
                .when().post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures")
                .then().statusCode(404);
    }

    @Test
    void aFullBuildQueueAnswers503WithRetryAfterAndReservesNothing() throws Exception {
        Player p = Player.joining(fake, "busy");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 1);
        int taken = 0;
        while (queue.tryEnter()) { // every running and waiting place, as a burst of captures would take them
            taken++;
        }
        try {
            as(p.user()).contentType("application/json").body(Map.of("durationSeconds", 5))
                    .when().post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures")
                    .then().statusCode(503).body("type", equalTo("capture-busy")).header("Retry-After", "5");
            as(p.user()).get("/api/v1/quota").then().body("clipCount", equalTo(0));
        } finally {
            for (int i = 0; i < taken; i++) {
                queue.leave();
            }
        }
        assertThat(taken).isEqualTo(2 + 32);
        Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 5));
    }

    @Test
    void theRateLimitAnswers429WithRetryAfter() throws Exception {
        Player p = Player.joining(fake, "rate");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 1);
        for (int i = 0; i < 3; i++) {
            Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 2));
        }
        as(p.user()).contentType("application/json").body(Map.of("durationSeconds", 2))
                .when().post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures")
                .then().statusCode(429).contentType("application/problem+json").body("type", equalTo("rate-limited"))
                .header("Retry-After", notNullValue()).body("retryAfterSeconds", org.hamcrest.Matchers.lessThanOrEqualTo(60));
    }
}
