package io.replaybuffer.capture;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.clip.build.CaptureFolders;
import io.replaybuffer.clip.build.ClipRecovery;
import io.replaybuffer.clip.build.PostRollWaits;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.MediaDecode;
import io.replaybuffer.testing.MediaProbe;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Post-roll captures on real footage (api.md, captures with {@code afterSeconds}): the answer comes at once with
 * {@code waitingUntil}, what is recorded is secured then and what egress lists later as it comes; the clip is built
 * when its window is complete, from what came when the buffer stops first, and a restart loses no wait.
 */
@QuarkusTest
class PostRollTest {

    /** One frame of the fake egress' 15 fps footage. */
    private static final double FRAME = 1.0 / 15;

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    CaptureFolders folders;

    @Inject
    PostRollWaits waits;

    @Inject
    ClipRecovery recovery;

    @Inject
    EntityManager em;

    private static JsonPath clip(Player p, String id) {
        return as(p.user()).get("/api/v1/clips/" + id).then().statusCode(200).extract().jsonPath();
    }

    private long linksOf(String clipId) throws Exception {
        try (var files = Files.list(folders.folder(UUID.fromString(clipId)))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ts")).count();
        }
    }

    /** The downloaded clip lasts {@code seconds} to a frame, with sound, and every frame of it decodes. */
    private static void assertWholeClip(Path mp4, double seconds) throws Exception {
        MediaProbe probe = MediaProbe.of(mp4);
        assertThat(probe.videoStart()).isCloseTo(0.0, within(FRAME));
        assertThat(probe.videoEnd()).as("duration within one frame").isCloseTo(seconds, within(FRAME));
        assertThat(probe.audioEnd()).isCloseTo(seconds, within(0.05));
        assertThat(MediaProbe.topLevelBoxes(mp4).indexOf("moov")).isLessThan(MediaProbe.topLevelBoxes(mp4).indexOf("mdat"));
        MediaDecode decoded = MediaDecode.of(mp4);
        assertThat(decoded.errors()).as("every frame decodes").isEmpty();
        assertThat(decoded.videoFrames()).isBetween((int) Math.round(seconds * 15) - 1, (int) Math.round(seconds * 15) + 1);
    }

    @Test
    void footageRecordedDuringTheWaitIsSecuredAsItIsListedAndTheClipCoversIt() throws Exception {
        Player p = Player.joining(fake, "postroll");
        JsonPath buffer = p.start(600);
        String egress = buffer.getString("egressId");
        fake.emitSegments(egress, 3);

        Instant asked = Instant.now();
        JsonPath clip = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 30, "afterSeconds", 10,
                "title", "Next 10 s"));
        String id = clip.getString("id");
        assertThat(clip.getString("status")).isEqualTo("PROCESSING");
        Instant waitingUntil = Instant.parse(clip.getString("waitingUntil"));
        assertThat(waitingUntil).isBetween(asked.plusSeconds(10), Instant.now().plusSeconds(10));
        assertThat(clip.getString("capturedTo")).isEqualTo(clip.getString("waitingUntil"));
        long atOnce = linksOf(id);
        assertThat(atOnce).as("the footage already recorded is secured at once").isPositive();

        fake.emitSegments(egress, 1); // ends where the request was made (or before, on a slow machine)
        await().atMost(Duration.ofSeconds(10)).until(() -> linksOf(id) == atOnce + 1); // once a playlist lists it
        assertThat(clip(p, id).getString("status")).as("the window is not complete yet").isEqualTo("PROCESSING");
        assertThat(clip(p, id).getString("waitingUntil")).isEqualTo(waitingUntil.toString());

        fake.emitSegments(egress, 2);
        JsonPath ready = Clips.awaitDone(p.user(), id);
        assertThat(ready.getString("status")).isEqualTo("READY");
        assertThat(ready.getBoolean("truncated")).isFalse();
        assertThat(ready.getString("waitingUntil")).isNull();
        assertThat(ready.getString("capturedTo")).isEqualTo(waitingUntil.toString());
        assertThat(ready.getDouble("durationSeconds")).isCloseTo(30.0, within(FRAME));
        assertWholeClip(Clips.download(p.user(), id), 30.0);
        assertThat(Files.exists(folders.folder(UUID.fromString(id)))).as("the capture folder is gone once built").isFalse();
    }

    @Test
    void aBufferThatStopsDuringTheWaitGivesAClipOfWhatItRecordedAndSaysSo() throws Exception {
        Player p = Player.joining(fake, "poststop");
        JsonPath buffer = p.start(600);
        String egress = buffer.getString("egressId");
        fake.emitSegments(egress, 3);
        String id = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 30, "afterSeconds", 10))
                .getString("id");

        as(p.user()).delete("/api/v1/replay-buffers/" + buffer.getString("id")).then().statusCode(200);
        fake.complete(egress);
        fake.sendWebhook(egress, "egress_ended");

        JsonPath ready = Clips.awaitDone(p.user(), id);
        assertThat(ready.getString("status")).isEqualTo("READY");
        assertThat(ready.getBoolean("truncated")).isTrue();
        assertThat(ready.getString("detail")).contains("the buffer stopped before the post-roll was recorded");
        double got = Duration.between(Instant.parse(ready.getString("capturedFrom")),
                Instant.parse(ready.getString("capturedTo"))).toMillis() / 1000.0;
        assertThat(got).as("up to the end of the footage recorded").isLessThan(30.0 - 5.0);
        assertThat(ready.getDouble("durationSeconds")).isCloseTo(got, within(FRAME));
        assertWholeClip(Clips.download(p.user(), id), got);
    }

    @Test
    void aRestartDuringTheWaitLosesNothing() throws Exception {
        Player p = Player.joining(fake, "postrestart");
        JsonPath buffer = p.start(600);
        String egress = buffer.getString("egressId");
        fake.emitSegments(egress, 3);
        String id = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 30, "afterSeconds", 10))
                .getString("id");

        // The replica waiting on it dies: its lease is a dead attempt's that ran out, and this replica's wait, no
        // longer holding the clip, stands down (as a fresh process would have no wait at all).
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE clips SET build_owner = :dead,"
                + " build_lease_until = :past WHERE id = :id").setParameter("dead", UUID.randomUUID())
                .setParameter("past", Instant.now().minusSeconds(1)).setParameter("id", UUID.fromString(id))
                .executeUpdate());
        await().atMost(Duration.ofSeconds(10)).until(() -> waits.waiting() == 0);
        fake.emitSegments(egress, 1); // recorded while nobody waited
        assertThat(clip(p, id).getString("status")).isEqualTo("PROCESSING");

        assertThat(recovery.recover(Instant.now())).as("recovery picks the wait up").contains(UUID.fromString(id));
        assertThat(waits.waiting()).isEqualTo(1);
        fake.emitSegments(egress, 2);
        JsonPath ready = Clips.awaitDone(p.user(), id);
        assertThat(ready.getString("status")).isEqualTo("READY");
        assertThat(ready.getBoolean("truncated")).isFalse();
        assertThat(ready.getDouble("durationSeconds")).isCloseTo(30.0, within(FRAME));
        assertWholeClip(Clips.download(p.user(), id), 30.0);
    }

    @Test
    void badPostRollsAreRefusedBeforeAnyPermitAndAWaitingClipCanBeDeleted() throws Exception {
        Player p = Player.joining(fake, "postbad");
        JsonPath buffer = p.start(600);
        String bufferId = buffer.getString("id");
        fake.emitSegments(buffer.getString("egressId"), 2);
        Instant now = Instant.now();
        Map<String, Map<String, Object>> bad = Map.of(
                "afterSeconds", Map.of("durationSeconds", 90, "afterSeconds", 61),
                "afterSeconds ", Map.of("durationSeconds", 5, "afterSeconds", 6),
                "afterSeconds  ", Map.of("durationSeconds", 5, "afterSeconds", -1),
                "afterSeconds   ", Map.of("startAt", now.minusSeconds(5).toString(), "endAt", now.toString(),
                        "afterSeconds", 5),
                "endAt", Map.of("startAt", now.toString(), "endAt", now.plusSeconds(90).toString()));
        for (Map.Entry<String, Map<String, Object>> entry : bad.entrySet()) {
            as(p.user()).contentType("application/json").body(entry.getValue())
                    .post("/api/v1/replay-buffers/" + bufferId + "/captures").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo(entry.getKey().strip()));
        }
        // None used a permit of REPLAY_CAPTURE_RATE (3 a minute): three captures still go through.
        Instant endAt = Instant.now().plusSeconds(5);
        JsonPath ranged = Clips.capture(p.user(), bufferId, Map.of("startAt", endAt.minusSeconds(15).toString(),
                "endAt", endAt.toString()));
        assertThat(ranged.getString("waitingUntil")).as("an endAt ahead waits for it").isEqualTo(endAt.toString());
        Clips.capture(p.user(), bufferId, Map.of("durationSeconds", 5, "afterSeconds", 0));
        JsonPath waiting = Clips.capture(p.user(), bufferId, Map.of("durationSeconds", 10, "afterSeconds", 5));

        as(p.user()).delete("/api/v1/clips/" + waiting.getString("id")).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(folders.folder(UUID.fromString(
                waiting.getString("id")))));
        as(p.user()).delete("/api/v1/clips/" + ranged.getString("id")).then().statusCode(204);
    }
}
