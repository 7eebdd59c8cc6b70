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

    /** Downloads a clip's MP4 into a temp file. */
    public static Path download(String user, String clipId) throws Exception {
        byte[] bytes = as(user).when().get("/api/v1/clips/" + clipId + "/download")
                .then().statusCode(200).contentType("video/mp4").extract().asByteArray();
        Path file = Files.createTempFile("clip", ".mp4");
        Files.write(file, bytes);
        return file;
    }
}
