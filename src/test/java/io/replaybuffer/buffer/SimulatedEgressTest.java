package io.replaybuffer.buffer;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.MediaProbe;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no LiveKit configured (the run command's default) the simulated egress gives the same experience. */
@QuarkusTest
@TestProfile(SimulatedEgressTest.NoLiveKit.class)
class SimulatedEgressTest {

    /** LIVEKIT_URL unset, and one-second segments so the test does not wait long. */
    public static class NoLiveKit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livekit.url", "", "replay.segment-duration-seconds", "1");
        }
    }

    @Test
    void recordsRealSegmentsAndReportsTheSameLifecycle() throws Exception {
        String user = Api.uniqueUser("sim");
        JsonPath started = as(user).contentType("application/json")
                .body(Map.of("roomName", "arena", "participantIdentity", user, "videoTrackId", "TR_anything",
                        "audioTrackId", "TR_sound", "bufferSeconds", 30))
                .when().post("/api/v1/replay-buffers").then().statusCode(201).extract().jsonPath();
        String id = started.getString("id");
        assertThat(started.getString("egressId")).startsWith("EG_SIM");

        await().atMost(Duration.ofSeconds(15)).until(() -> as(user).get("/api/v1/replay-buffers/" + id).jsonPath()
                .getDouble("availableSeconds") >= 3.0);
        assertThat(as(user).get("/api/v1/replay-buffers/" + id).jsonPath().getString("status")).isEqualTo("ACTIVE");

        Path segment = Path.of("target/test-data/segments", id, "seg-r{retry}_00000.ts");
        MediaProbe probe = MediaProbe.of(segment);
        assertThat(probe.videoCodec()).isEqualTo("h264");
        assertThat(probe.audioCodec()).isEqualTo("aac");
        assertThat(probe.startsWithKeyframe()).isTrue();

        as(user).when().delete("/api/v1/replay-buffers/" + id).then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "STOPPED".equals(
                as(user).get("/api/v1/replay-buffers/" + id).jsonPath().getString("status")));
        assertThat(Files.readString(segment.resolveSibling("playlist-r{retry}.m3u8"))).endsWith("#EXT-X-ENDLIST\n");
    }
}
