package io.replaybuffer.testing;

import static io.replaybuffer.testing.Api.as;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Capture and clip helpers for tests. */
public final class Clips {

    private Clips() {
    }

    /** POSTs a capture and returns the 202 body. */
    public static JsonPath capture(String user, String bufferId, Map<String, Object> body) {
        return as(user).contentType("application/json").body(body)
                .when().post("/api/v1/replay-buffers/" + bufferId + "/captures")
                .then().statusCode(202).extract().jsonPath();
    }

    /** Waits for a clip to leave PROCESSING and returns it. */
    public static JsonPath awaitDone(String user, String clipId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                !"PROCESSING".equals(as(user).get("/api/v1/clips/" + clipId).jsonPath().getString("status")));
        return as(user).get("/api/v1/clips/" + clipId).jsonPath();
    }

    /** A READY clip and its owner, for tests about what happens around one. */
    public record ReadyClip(Api.Player owner, String bufferId, String id, long sizeBytes) {
    }

    /**
     * A player joins, records {@code segments} segments of the fake egress, and captures {@code body}; returns once
     * the clip is READY (fails the test if it ends otherwise).
     */
    public static ReadyClip ready(FakeLiveKit fake, String name, int segments, Map<String, Object> body)
            throws Exception {
        Api.Player owner = Api.Player.joining(fake, name);
        JsonPath buffer = owner.start(600);
        fake.emitSegments(buffer.getString("egressId"), segments);
        String clipId = capture(owner.user(), buffer.getString("id"), body).getString("id");
        JsonPath clip = awaitDone(owner.user(), clipId);
        if (!"READY".equals(clip.getString("status"))) {
            throw new AssertionError("clip " + clipId + " ended " + clip.getString("status") + ": " + clip.prettify());
        }
        return new ReadyClip(owner, buffer.getString("id"), clipId, clip.getLong("sizeBytes"));
    }

    /** Downloads a clip's MP4 into a temp file. */
    public static Path download(String user, String clipId) throws Exception {
        byte[] bytes = as(user).when().get("/api/v1/clips/" + clipId + "/download")
                .then().statusCode(200).contentType("video/mp4").extract().asByteArray();
        Path file = Files.createTempFile("clip", ".mp4");
        Files.write(file, bytes);
        return file;
    }
}
