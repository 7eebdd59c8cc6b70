package io.replaybuffer.cleanup;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.clip.Clip;
import io.replaybuffer.clip.build.CaptureFolders;
import io.replaybuffer.clip.build.ClipBuilder;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.InterruptedCaptures;
import io.replaybuffer.testing.SharedFootage;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The clips volume and the database agree after an audit: strays removed, lost clips reported and repaired; and
 * (issue 12, item 4) nothing is failed on an I/O error, on a single sighting, or when the volume itself is gone.
 */
@QuarkusTest
class ClipAuditTest {

    private static final Path CLIPS = Path.of("target/test-data/clips").toAbsolutePath();
    private static final Path AWAY = CLIPS.resolveSibling("clips-away");
    private static final Duration CONFIRM = Duration.ofMinutes(10); // REPLAY_CLEANUP_MISSING_CONFIRM_AFTER
    private static final SharedFootage FOOTAGE = new SharedFootage("audit");

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    ClipAudit audit;

    @Inject
    InterruptedCaptures interrupted;

    @Inject
    CaptureFolders folders;

    @Inject
    ClipBuilder builder;

    @Inject
    MeterRegistry registry;

    /** A READY clip of the shared player, built here and now, with its poster made (nothing writes after). */
    private UUID readyClip() throws Exception {
        UUID id = UUID.randomUUID();
        interrupted.afterSecuring(FOOTAGE.player(fake).user(), id, FOOTAGE.bufferDir(fake), Duration.ofSeconds(5));
        builder.build(folders.read(id).orElseThrow());
        assertThat(status(id)).isEqualTo("READY");
        await().atMost(Duration.ofSeconds(20)).until(() -> QuarkusTransaction.requiringNew().call(() ->
                Clip.<Clip>findById(id).thumbnail != null));
        return id;
    }

    private static String status(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Clip.<Clip>findById(id).status.name());
    }

    private static Path file(UUID id) {
        return CLIPS.resolve(QuarkusTransaction.requiringNew().call(() -> Clip.<Clip>findById(id).file.relativePath));
    }

    /** When an audit first found the clip's file absent (read as SQL: the column is the schema's, not the API's). */
    private static Object missingSince(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Clip.getEntityManager()
                .createNativeQuery("SELECT missing_since FROM clips WHERE id = :id").setParameter("id", id)
                .getSingleResult());
    }

    private long usedBytes() {
        return as(FOOTAGE.player(fake).user()).get("/api/v1/quota").jsonPath().getLong("usedBytes");
    }

    private double volumeMissingCount() {
        var counter = registry.find("replay_buffer_cleanup_problems_total").tag("kind", "clip_volume_missing").counter();
        return counter == null ? 0 : counter.count();
    }

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
    void aReadyClipWhoseFileVanishedIsFailedAndItsQuotaFreedOnceASecondAuditConfirms() throws Exception {
        Player p = Player.joining(fake, "audit");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 1);
        String clipId = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 5)).getString("id");
        Clips.awaitDone(p.user(), clipId);
        Files.delete(file(UUID.fromString(clipId))); // an operator, a broken volume...

        Instant first = Instant.now();
        assertThat(audit.run(first).clipsLost()).isZero();
        as(p.user()).get("/api/v1/clips/" + clipId).then().body("status", equalTo("READY"));
        assertThat(audit.run(first.plus(CONFIRM).plusSeconds(1)).clipsLost()).isEqualTo(1);
        as(p.user()).get("/api/v1/clips/" + clipId).then().body("status", equalTo("FAILED"))
                .body("error", equalTo("the clip's file is missing from storage"));
        as(p.user()).get("/api/v1/quota").then().body("usedBytes", equalTo(0));
    }

    @Test
    void absenceFailsAClipOnlyOnTwoAuditsFarEnoughApart() throws Exception {
        UUID clip = readyClip();
        UUID blinked = readyClip();
        long used = usedBytes();
        long size = Files.size(file(clip));
        Path saved = Files.copy(file(blinked), CLIPS.resolveSibling(blinked + ".saved"), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(file(clip));
        Files.delete(file(blinked));

        Instant t0 = Instant.now();
        audit.run(t0); // first sighting: noted, nothing failed
        assertThat(status(clip)).isEqualTo("READY");
        assertThat(missingSince(clip)).isNotNull();
        audit.run(t0.plus(CONFIRM).minusSeconds(60)); // absent again, but not long enough after the first
        assertThat(status(clip)).isEqualTo("READY");
        assertThat(usedBytes()).isEqualTo(used);

        Files.move(saved, file(blinked)); // that one comes back before the next audit: its sighting is forgotten
        audit.run(t0.plus(CONFIRM).plusSeconds(1));
        assertThat(status(clip)).isEqualTo("FAILED");
        assertThat(usedBytes()).isEqualTo(used - size);
        assertThat(status(blinked)).isEqualTo("READY");
        assertThat(missingSince(blinked)).isNull();

        Files.delete(file(blinked)); // gone again: counts as a first sighting, not as the old one
        audit.run(t0.plus(CONFIRM.multipliedBy(2)));
        assertThat(status(blinked)).isEqualTo("READY");
        as(FOOTAGE.player(fake).user()).delete("/api/v1/clips/" + blinked).then().statusCode(204); // leave nothing pending
    }

    @Test
    void aFileWhosePresenceCannotBeToldFailsNothing() throws Exception {
        UUID clip = readyClip();
        long used = usedBytes();
        Path shard = file(clip).getParent();
        Path moved = Files.move(shard, AWAY.resolveSibling("shard-away"));
        Files.write(shard, new byte[0]); // a file where the shard directory should be: "not a directory", not "absent"
        try {
            Instant t0 = Instant.now();
            audit.run(t0);
            audit.run(t0.plus(CONFIRM.multipliedBy(2)));
            assertThat(status(clip)).isEqualTo("READY");
            assertThat(missingSince(clip)).isNull();
            assertThat(usedBytes()).isEqualTo(used);
        } finally {
            Files.delete(shard);
            Files.move(moved, shard);
        }
        assertThat(file(clip)).exists();
    }

    @Test
    void aMissingOrUnmountedClipVolumeFailsNothing() throws Exception {
        List<UUID> clips = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // enough for the "many absent at once" rule, whatever else the database holds
            clips.add(readyClip());
        }
        long used = usedBytes();
        Instant t0 = Instant.now();
        double alarms = volumeMissingCount();

        // Half-mounted: the root is there (and not empty) but none of the shards are.
        Files.createDirectories(CLIPS.resolve(".tmp"));
        List<Path> shards;
        try (Stream<Path> entries = Files.list(CLIPS)) {
            shards = entries.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
        Files.createDirectories(AWAY);
        try {
            for (Path shard : shards) {
                Files.move(shard, AWAY.resolve(shard.getFileName()));
            }
            audit.run(t0);
            audit.run(t0.plus(CONFIRM).plusSeconds(1));
        } finally {
            for (Path shard : shards) {
                Files.move(AWAY.resolve(shard.getFileName()), shard);
            }
            Files.delete(AWAY);
        }
        assertUntouched(clips, used);

        // Unmounted: an empty mount point. Then not there at all.
        Files.move(CLIPS, AWAY);
        try {
            Files.createDirectory(CLIPS);
            audit.run(t0.plus(CONFIRM.multipliedBy(2)));
            audit.run(t0.plus(CONFIRM.multipliedBy(3)));
            Files.delete(CLIPS);
            audit.run(t0.plus(CONFIRM.multipliedBy(4)));
            audit.run(t0.plus(CONFIRM.multipliedBy(5)));
        } finally {
            deleteTree(CLIPS); // whatever appeared meanwhile
            Files.move(AWAY, CLIPS);
        }
        assertUntouched(clips, used);
        assertThat(volumeMissingCount() - alarms).as("each refusal is counted").isEqualTo(6);

        audit.run(t0.plus(CONFIRM.multipliedBy(6))); // back: all present, nothing to do
        assertUntouched(clips, used);
    }

    private void assertUntouched(List<UUID> clips, long used) {
        for (UUID clip : clips) {
            assertThat(status(clip)).isEqualTo("READY");
            assertThat(missingSince(clip)).as("no sighting is recorded while the volume is gone").isNull();
        }
        assertThat(usedBytes()).isEqualTo(used);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
