package io.replaybuffer.clip;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.clip.build.CaptureFolders;
import io.replaybuffer.clip.build.ClipRecovery;
import io.replaybuffer.clip.quota.QuotaService;
import io.replaybuffer.segment.Segment;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InterruptedCaptures;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.SseClient;
import io.replaybuffer.testing.Tokens;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** When things go wrong: nothing half-written is visible, nothing is lost, and quotas come back. */
@QuarkusTest
class ClipFailureTest {

    private static final Path CLIPS = Path.of("target/test-data/clips");

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @TestHTTPResource("/api/v1/events")
    URI events;

    @Inject
    ClipRecovery recovery;

    @Inject
    CaptureFolders folders;

    @Inject
    InterruptedCaptures interrupted;

    @Test
    void aFailureMidBuildLeavesNoFileAndReleasesTheReservation() throws Exception {
        Player p = Player.joining(fake, "corrupt");
        JsonPath buffer = p.start(600);
        List<Path> written = fake.emitSegments(buffer.getString("egressId"), 2);
        Files.write(written.get(0), new byte[4096]); // the footage is damaged on disk
        Files.write(written.get(1), new byte[4096]);
        try (SseClient sse = new SseClient(events, Tokens.user(p.user()))) {
            await().until(sse::connected);
            String clipId = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 15)).getString("id");
            JsonPath failed = Clips.awaitDone(p.user(), clipId);
            assertThat(failed.getString("status")).isEqualTo("FAILED");
            assertThat(failed.getString("error")).isEqualTo("building the MP4 failed");
            await().atMost(Duration.ofSeconds(5)).until(() -> sse.received("clip.failed", clipId));
            try (var leftovers = Files.walk(CLIPS)) {
                assertThat(leftovers.map(Path::toString)).noneMatch(f -> f.contains(clipId));
            }
            assertThat(folders.folder(UUID.fromString(clipId))).doesNotExist();
        }
        as(p.user()).get("/api/v1/quota").then().body("clipCount", equalTo(0)).body("usedBytes", equalTo(0));
    }

    @Test
    void clipReadyIsPushedOverSse() throws Exception {
        Player p = Player.joining(fake, "push");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 1);
        try (SseClient sse = new SseClient(events, Tokens.user(p.user()))) {
            await().until(sse::connected);
            String clipId = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 5)).getString("id");
            await().atMost(Duration.ofSeconds(20)).until(() -> sse.received("clip.ready", "\"status\":\"READY\""));
            assertThat(sse.received("clip.ready", clipId)).isTrue();
        }
    }

    @Test
    void anInterruptedBuildIsFinishedFromItsSecuredFootage() throws Exception {
        Player p = Player.joining(fake, "crash");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 2);
        UUID clipId = UUID.randomUUID();
        interrupted.afterSecuring(p.user(), clipId, buffer.getString("id"), Duration.ofSeconds(12));
        recovery.recover(interrupted.later());
        JsonPath ready = Clips.awaitDone(p.user(), clipId.toString());
        assertThat(ready.getString("status")).isEqualTo("READY");
        assertThat(ready.getDouble("durationSeconds")).isCloseTo(12.0, org.assertj.core.api.Assertions.within(1.0 / 15));
        as(p.user()).get("/api/v1/quota").then().body("clipCount", equalTo(1)).body("usedBytes", equalTo(ready.getInt("sizeBytes")));
    }

    @Test
    void aCaptureInterruptedBeforeItsFootageWasSecuredFailsAndFreesItsQuota() {
        Player p = Player.joining(fake, "early-crash");
        UUID clipId = UUID.randomUUID();
        interrupted.beforeSecuring(p.user(), clipId, Instant.now().minusSeconds(30), Instant.now(), 5_000_000);
        as(p.user()).get("/api/v1/quota").then().body("clipCount", equalTo(1));
        recovery.recover(interrupted.later());
        as(p.user()).get("/api/v1/clips/" + clipId).then().body("status", equalTo("FAILED"))
                .body("error", equalTo("interrupted before its footage was secured"));
        as(p.user()).get("/api/v1/quota").then().body("clipCount", equalTo(0)).body("usedBytes", equalTo(0));
    }

    @Test
    void aFullClipVolumeIs507AndTheBufferIsUntouched() throws Exception {
        Player p = Player.joining(fake, "full");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 2);
        Path clips = CLIPS.toAbsolutePath();
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", clips.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs permission to mount a small tmpfs over the clip volume");
        try {
            as(p.user()).contentType("application/json").body(Map.of("durationSeconds", 15))
                    .post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures")
                    .then().statusCode(507).body("type", equalTo("insufficient-storage"));
        } finally {
            new ProcessBuilder("umount", clips.toString()).start().waitFor();
        }
        JsonPath after = p.buffer(buffer.getString("id"));
        assertThat(after.getString("status")).isEqualTo("STARTING");
        assertThat(after.getDouble("availableSeconds")).isEqualTo(20.0);
        as(p.user()).get("/api/v1/quota").then().body("clipCount", equalTo(0));
    }
}
