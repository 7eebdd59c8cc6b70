package io.replaybuffer.capture;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.clip.build.BuildQueue;
import io.replaybuffer.clip.quota.UserQuota;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a capture refuses, and that refusing costs the player nothing: bad titles and windows below the minimum clip
 * length are 400 (never a 500 from the database), and no refused or invalid capture uses up a REPLAY_CAPTURE_RATE
 * permit (3 a minute in tests, as by default).
 */
@QuarkusTest
class CaptureAdmissionTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    BuildQueue queue;

    private record Recording(Player player, String bufferId, Instant oldest, Instant newest) {
    }

    private Recording recording(String prefix) throws Exception {
        Player p = Player.joining(fake, prefix);
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 2);
        JsonPath now = p.buffer(buffer.getString("id"));
        return new Recording(p, buffer.getString("id"), Instant.parse(now.getString("oldestAt")),
                Instant.parse(now.getString("newestAt")));
    }

    private static ValidatableResponse capture(Recording r, Map<String, Object> body) {
        return as(r.player().user()).contentType("application/json").body(body)
                .when().post("/api/v1/replay-buffers/" + r.bufferId() + "/captures").then();
    }

    @Test
    void aBlankTitleOrOneWithControlCharactersIsInvalidNotAServerError() throws Exception {
        Recording r = recording("title");
        // As JSON escapes, the way a client sends them (a lone surrogate cannot even be a Java-built JSON string).
        for (String title : new String[] {"   ", "NUL\\u0000inside", "bell\\u0007", "two\\nlines", "lone\\ud800half"}) {
            as(r.player().user()).contentType("application/json")
                    .body("{\"durationSeconds\": 5, \"title\": \"" + title + "\"}")
                    .when().post("/api/v1/replay-buffers/" + r.bufferId() + "/captures").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("invalid-request")).body("errors[0].field", equalTo("title"));
        }
        capture(r, Map.of("durationSeconds", 5, "title", "x".repeat(201)))
                .statusCode(400).body("errors[0].message", containsString("at most 200"));
        JsonPath clip = Clips.capture(r.player().user(), r.bufferId(), Map.of("durationSeconds", 5,
                "title", "  Clutch ⚡ 1v3  "));
        assertThat(clip.getString("title")).as("stored stripped").isEqualTo("Clutch ⚡ 1v3");
    }

    @Test
    void aWindowShorterThanTheMinimumClipIsInvalid() throws Exception {
        Recording r = recording("tiny");
        capture(r, Map.of("durationSeconds", 1e-10))
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("invalid-request")).body("errors[0].field", equalTo("durationSeconds"))
                .body("detail", containsString("at least 1"));
        capture(r, Map.of("durationSeconds", 0.999)).statusCode(400);
        capture(r, Map.of("startAt", r.newest().minusSeconds(5).toString(),
                "endAt", r.newest().minusSeconds(5).plusMillis(1).toString()))
                .statusCode(400).body("errors[0].field", equalTo("endAt"));
        JsonPath oneSecond = Clips.capture(r.player().user(), r.bufferId(), Map.of("durationSeconds", 1));
        assertThat(Clips.awaitDone(r.player().user(), oneSecond.getString("id")).getString("status"))
                .isEqualTo("READY");
    }

    @Test
    void footageThatCutsTheWindowBelowTheMinimumIsNothingToCapture() throws Exception {
        Recording r = recording("sliver");
        // Asks 10 s, but only the last half second of it was recorded (a window ending in the future would be a
        // post-roll capture, which waits for its footage instead).
        capture(r, Map.of("startAt", r.oldest().minusMillis(9_500).toString(),
                "endAt", r.oldest().plusMillis(500).toString()))
                .statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("nothing-to-capture")).body("detail", containsString("at least 1 s"));
        as(r.player().user()).get("/api/v1/quota").then().body("clipCount", equalTo(0));
    }

    @Test
    void refusedAndInvalidCapturesUseNoPermit() throws Exception {
        Recording r = recording("permits");
        String user = r.player().user();
        for (int i = 0; i < 3; i++) {
            capture(r, Map.of("durationSeconds", 5, "startAt", r.oldest().toString())).statusCode(400);
            capture(r, Map.of("durationSeconds", 1e-10)).statusCode(400);
            capture(r, Map.of("startAt", r.oldest().minusSeconds(60).toString(),
                    "endAt", r.oldest().minusSeconds(30).toString())).statusCode(409);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            UserQuota quota = new UserQuota();
            quota.userId = user;
            quota.limitClips = 0;
            quota.updatedAt = Instant.now();
            quota.persist();
        });
        for (int i = 0; i < 3; i++) {
            capture(r, Map.of("durationSeconds", 5)).statusCode(403).body("type", equalTo("quota-exceeded"));
        }
        QuarkusTransaction.requiringNew().run(() -> UserQuota.<UserQuota>findById(user).limitClips = null);
        int taken = 0;
        while (queue.tryEnter()) {
            taken++;
        }
        try {
            for (int i = 0; i < 3; i++) {
                capture(r, Map.of("durationSeconds", 5)).statusCode(503).body("type", equalTo("capture-busy"));
            }
        } finally {
            for (int i = 0; i < taken; i++) {
                queue.leave();
            }
        }

        for (int i = 0; i < 3; i++) {
            Clips.capture(user, r.bufferId(), Map.of("durationSeconds", 2));
        }
        capture(r, Map.of("durationSeconds", 2))
                .statusCode(429).contentType("application/problem+json").body("type", equalTo("rate-limited"))
                .body("limit", equalTo("capture")).header("Retry-After", notNullValue());
    }
}
