package io.replaybuffer.platform;

import static io.replaybuffer.testing.Api.as;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-user limits besides captures, at their documented defaults: buffer starts and stops (REPLAY_BUFFER_RATE,
 * 10 a minute), signed links (REPLAY_LINK_RATE, 60), clip changes (REPLAY_CLIP_CHANGE_RATE, 60) and preview
 * playlists (REPLAY_PREVIEW_RATE, 90). Past each: 429 problem+json with Retry-After, naming the limit. Refused or
 * invalid requests before it use none of it.
 */
@QuarkusTest
class PerUserLimitsTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    private static void limited(ValidatableResponse response, String limit) {
        response.statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("rate-limited")).body("limit", equalTo(limit))
                .body("retryAfterSeconds", allOf(greaterThan(0), lessThanOrEqualTo(60)))
                .header("Retry-After", notNullValue());
    }

    @Test
    void bufferStartsAndStopsShareOneLimit() {
        Player p = Player.joining(fake, "starts");
        for (int i = 0; i < 3; i++) {
            Map<String, Object> tooLong = new HashMap<>(p.startBody(600));
            tooLong.put("bufferSeconds", 999_999);
            as(p.user()).contentType("application/json").body(tooLong).post("/api/v1/replay-buffers")
                    .then().statusCode(400);
            Map<String, Object> noSuchTrack = new HashMap<>(p.startBody(600));
            noSuchTrack.put("videoTrackId", "TR_nothing");
            as(p.user()).contentType("application/json").body(noSuchTrack).post("/api/v1/replay-buffers")
                    .then().statusCode(404).body("type", equalTo("track-not-found"));
            as(p.user()).delete("/api/v1/replay-buffers/" + java.util.UUID.randomUUID()).then().statusCode(404);
        }
        for (int i = 0; i < 5; i++) {
            String id = p.start(600).getString("id");
            as(p.user()).delete("/api/v1/replay-buffers/" + id).then().statusCode(200);
        }
        limited(as(p.user()).contentType("application/json").body(p.startBody(600)).post("/api/v1/replay-buffers")
                .then(), "buffer");
        Player other = Player.joining(fake, "unaffected");
        other.start(600);
    }

    @Test
    void linkCreationClipChangesAndPreviewsAreLimitedEachOnTheirOwn() throws Exception {
        Player p = Player.joining(fake, "changes");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 1);
        String clip = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 5)).getString("id");
        Clips.awaitDone(p.user(), clip);

        as("stranger").contentType("application/json").body(Map.of("expiresInSeconds", 600))
                .post("/api/v1/clips/" + clip + "/links").then().statusCode(404);
        for (int i = 0; i < 60; i++) {
            as(p.user()).contentType("application/json").body(Map.of("expiresInSeconds", 600))
                    .post("/api/v1/clips/" + clip + "/links").then().statusCode(200);
        }
        limited(as(p.user()).contentType("application/json").body(Map.of("expiresInSeconds", 600))
                .post("/api/v1/clips/" + clip + "/links").then(), "link");

        for (int i = 0; i < 5; i++) {
            as(p.user()).contentType("application/json").body(Map.of("title", " "))
                    .patch("/api/v1/clips/" + clip).then().statusCode(400);
            as(p.user()).delete("/api/v1/clips/" + java.util.UUID.randomUUID()).then().statusCode(404);
        }
        for (int i = 0; i < 60; i++) {
            as(p.user()).contentType("application/json").body(Map.of("title", "take " + i))
                    .patch("/api/v1/clips/" + clip).then().statusCode(200);
        }
        limited(as(p.user()).contentType("application/json").body(Map.of("title", "one more"))
                .patch("/api/v1/clips/" + clip).then(), "clip-change");
        limited(as(p.user()).delete("/api/v1/clips/" + clip).then(), "clip-change");
        as(p.user()).get("/api/v1/clips/" + clip).then().statusCode(200).body("title", equalTo("take 59"));

        String preview = "/api/v1/replay-buffers/" + buffer.getString("id") + "/preview.m3u8";
        for (int i = 0; i < 90; i++) {
            as(p.user()).get(preview).then().statusCode(200);
        }
        limited(as(p.user()).get(preview).then(), "preview");
    }
}
