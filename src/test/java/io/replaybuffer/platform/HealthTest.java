package io.replaybuffer.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.platform.storage.StorageRoots;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthTest {

    @Inject
    StorageRoots roots;

    @Test
    void readyWhenTheDatabaseAndTheVolumesAreUsable() {
        given().when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", containsInAnyOrder("storage", "Database connections health check"));
    }

    @Test
    void redisAndLiveKitAreReportedAsDependenciesNotReadiness() {
        given().when().get("/q/health/group/dependencies")
                .then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", containsInAnyOrder("redis", "livekit"))
                .body("checks.find { it.name == 'redis' }.data.mode", equalTo("redis"))
                .body("checks.find { it.name == 'livekit' }.data.backend", equalTo("livekit"))
                .body("checks.find { it.name == 'livekit' }.data.breaker", equalTo("closed"));
    }

    @Test
    void liveness() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void notReadyWhenTheClipVolumeIsNotWritable() throws Exception {
        // Running as root ignores permission bits, so make the clip root a plain file: nothing can be created in it.
        Path clips = roots.clips();
        Path aside = clips.resolveSibling(clips.getFileName() + ".aside");
        Files.move(clips, aside);
        Files.writeString(clips, "not a directory");
        try {
            given().when().get("/q/health/ready")
                    .then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'storage' }.data.clips", equalTo("not writable"))
                    .body("checks.find { it.name == 'storage' }.data.segments", equalTo("writable"))
                    .body(not(containsString(clips.toString())));
        } finally {
            Files.delete(clips);
            Files.move(aside, clips);
        }
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentCoversTheWholeContract() {
        var paths = given().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath()
                .getMap("paths").keySet();
        org.assertj.core.api.Assertions.assertThat(paths).contains(
                "/api/v1/replay-buffers", "/api/v1/replay-buffers/current", "/api/v1/replay-buffers/{id}",
                "/api/v1/replay-buffers/{id}/preview.m3u8", "/api/v1/replay-buffers/{id}/captures",
                "/api/v1/replay-buffers/{id}/segments/{file}", "/api/v1/clips", "/api/v1/clips/{id}",
                "/api/v1/clips/{id}/download", "/api/v1/clips/{id}/thumbnail.jpg", "/api/v1/clips/{id}/links",
                "/api/v1/users/{userId}/clips", "/api/v1/quota", "/api/v1/events", "/api/v1/livekit/webhook",
                "/api/v1/admin/webhook-deliveries", "/api/v1/rooms/{roomName}/captures",
                "/api/v1/capture-groups/{groupId}");
    }

    @Test
    void theOpenApiDocumentShowsGameServerFields() {
        var schemas = given().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        org.assertj.core.api.Assertions.assertThat(schemas.getMap("components.schemas.ClipView.properties").keySet())
                .contains("createdBy", "groupId");
        org.assertj.core.api.Assertions.assertThat(schemas.getMap("components.schemas.CaptureGroupView.properties")
                .keySet()).contains("groupId", "roomName", "capturedFrom", "capturedTo", "clips", "status", "skipped");
        org.assertj.core.api.Assertions.assertThat(schemas.getList("paths.'/api/v1/replay-buffers'.get.parameters.name",
                String.class)).contains("userId", "roomName", "participantIdentity");
    }

    @Test
    void operationsEndpointsAreServed() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/quota'.get.summary", org.hamcrest.Matchers.notNullValue());
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }
}
