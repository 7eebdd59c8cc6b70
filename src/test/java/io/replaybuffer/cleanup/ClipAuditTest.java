package io.replaybuffer.cleanup;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.clip.Clip;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The clips volume and the database agree after an audit: strays removed, lost clips reported and repaired. */
@QuarkusTest
class ClipAuditTest {

    private static final Path CLIPS = Path.of("target/test-data/clips");

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    ClipAudit audit;

    @Test
    void aFileNoClipRefersToGoesOnceOldEnough() throws Exception {
        String id = UUID.randomUUID().toString();
        Path stray = Files.createDirectories(CLIPS.resolve(id.substring(0, 2))).resolve(id + ".mp4");
        Files.write(stray, new byte[128]);
        Files.setLastModifiedTime(stray, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = stray.resolveSibling(UUID.randomUUID() + ".mp4");
        Files.write(fresh, new byte[128]); // might be a build being renamed right now

        ClipAudit.Findings findings = audit.run(Instant.now());
        assertThat(findings.orphanFilesRemoved()).isGreaterThanOrEqualTo(1);
        assertThat(stray).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void aReadyClipWhoseFileVanishedIsFailedAndItsQuotaFreed() throws Exception {
        Player p = Player.joining(fake, "audit");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 1);
        String clipId = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 5)).getString("id");
        Clips.awaitDone(p.user(), clipId);
        String relative = QuarkusTransaction.requiringNew().call(() ->
                Clip.<Clip>findById(UUID.fromString(clipId)).file.relativePath);
        Files.delete(CLIPS.resolve(relative)); // an operator, a broken volume...

        assertThat(audit.run(Instant.now()).clipsLost()).isEqualTo(1);
        as(p.user()).get("/api/v1/clips/" + clipId).then().body("status", equalTo("FAILED"))
                .body("error", equalTo("the clip's file is missing from storage"));
        as(p.user()).get("/api/v1/quota").then().body("usedBytes", equalTo(0));
    }
}
