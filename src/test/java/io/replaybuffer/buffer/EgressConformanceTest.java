package io.replaybuffer.buffer;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.cleanup.CleanupJob;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.MediaProbe;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import livekit.LivekitEgress.EgressStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service against a LiveKit that behaves as livekit/egress's source does: a first attempt's names keep the
 * literal {@code {retry}}, names arrive in {@code segment_results}, a retry continues under the same egress id with new
 * names, and a start whose answer is lost may still have started an egress.
 */
@QuarkusTest
class EgressConformanceTest {

    private static final Path SEGMENTS = Path.of("target/test-data/segments");

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    BufferReconciler reconciler;

    @Inject
    CleanupJob cleanup;

    @Inject
    CircuitBreakerMaintenance breakers;

    @AfterEach
    void reset() {
        fake.answerStartsAfter(Duration.ZERO);
        breakers.resetAll();
    }

    @Test
    void aFirstAttemptsFootageIsSeenUnderTheNamesEgressReported() throws Exception {
        Player p = Player.joining(fake, "names");
        var buffer = p.start(600);
        String egressId = buffer.getString("egressId");
        fake.emitSegments(egressId, 3);
        Path dir = SEGMENTS.resolve(buffer.getString("id"));
        assertThat(dir.resolve("seg-r{retry}_00000.ts")).exists();
        assertThat(dir.resolve("playlist-r{retry}.m3u8")).exists();
        assertThat(dir.resolve("live-r{retry}.m3u8")).exists();
        assertThat(p.buffer(buffer.getString("id")).getDouble("availableSeconds")).isEqualTo(30.0);
        assertThat(reportedPlaylists(buffer.getString("id")))
                .containsExactly(dir.toAbsolutePath().normalize() + "/playlist-r{retry}.m3u8");
        assertThat(fake.info(egressId).getSegmentResults(0).getPlaylistName())
                .isEqualTo(dir.toAbsolutePath().normalize() + "/playlist-r{retry}.m3u8");

        String clipId = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 25)).getString("id");
        assertThat(Clips.awaitDone(p.user(), clipId).getString("status")).isEqualTo("READY");
        assertThat(MediaProbe.of(Clips.download(p.user(), clipId)).videoDuration())
                .isCloseTo(25.0, org.assertj.core.api.Assertions.within(0.1));
    }

    @Test
    void aStartWhoseAnswerIsLostLeavesExactlyOneEgressAndTheBufferRecordsIt() {
        Player p = Player.joining(fake, "slow-start");
        fake.answerStartsAfter(Duration.ofSeconds(8)); // longer than the service's 5 s test timeout
        int before = fake.calls("StartTrackCompositeEgress");
        var buffer = p.start(60);
        assertThat(fake.calls("StartTrackCompositeEgress") - before).as("never sent twice").isEqualTo(1);
        List<String> running = fake.running().stream()
                .filter(id -> fake.info(id).getRoomName().equals(p.room())).toList();
        assertThat(running).hasSize(1);
        assertThat(buffer.getString("egressId")).isEqualTo(running.get(0));
        assertThat(buffer.getString("status")).isIn("STARTING", "ACTIVE");
    }

    @Test
    void aSecondEgressWritingIntoABuffersFolderIsStopped() throws Exception {
        Player p = Player.joining(fake, "duplicate");
        var buffer = p.start(60);
        String egressId = buffer.getString("egressId");
        fake.setStatus(egressId, EgressStatus.EGRESS_ACTIVE, null);
        String duplicate = fake.startAgain(egressId);
        fake.setStatus(duplicate, EgressStatus.EGRESS_ACTIVE, null);
        fake.sendWebhook(duplicate, "egress_started"); // a duplicate's news changes nothing

        reconciler.reconcile();

        assertThat(fake.info(duplicate).getStatus()).isEqualTo(EgressStatus.EGRESS_ENDING);
        assertThat(fake.info(egressId).getStatus()).isEqualTo(EgressStatus.EGRESS_ACTIVE);
        var after = p.buffer(buffer.getString("id"));
        assertThat(after.getString("egressId")).isEqualTo(egressId);
        assertThat(after.getString("status")).isEqualTo("ACTIVE");
    }

    @Test
    void anEgressRetryUnderTheSameIdContinuesTheBufferItsFailureEnded() throws Exception {
        Recording r = recording("retry", 600, 3);
        Player p = r.player();
        String id = r.id();
        String egressId = r.egressId();
        fake.setStatus(egressId, EgressStatus.EGRESS_FAILED, "could not connect to room");
        fake.sendWebhook(egressId, "egress_ended");
        assertThat(p.buffer(id).getString("status")).isEqualTo("FAILED");

        fake.retry(egressId, Duration.ofSeconds(4)); // same id, retry_count 1: seg-r1_*, playlist-r1.m3u8
        fake.emitSegments(egressId, 2);
        fake.sendWebhook(egressId, "egress_updated");

        var after = p.buffer(id);
        assertThat(after.getString("status")).isEqualTo("ACTIVE");
        assertThat(after.getString("error")).isNull();
        assertThat(after.getDouble("availableSeconds")).as("only the retry's run is continuous").isEqualTo(20.0);
        assertThat(SEGMENTS.resolve(id).resolve("seg-r1_00000.ts")).exists();
        assertThat(reportedPlaylists(id)).hasSize(2);
        String preview = as(p.user()).get("/api/v1/replay-buffers/" + id + "/preview.m3u8").asString();
        assertThat(preview).containsOnlyOnce("#EXT-X-DISCONTINUITY")
                .contains("seg-r%7Bretry%7D_00002.ts", "seg-r1_00001.ts");

        var clip = Clips.capture(p.user(), id, Map.of("durationSeconds", 40));
        assertThat(clip.getBoolean("truncated")).as("never stitched across the gap between attempts").isTrue();
        assertThat(clip.getDouble("durationSeconds")).isEqualTo(20.0);
    }

    @Test
    void aRetryUnderANewEgressIdContinuesTheBufferToo() throws Exception {
        Recording r = recording("retry-new-id", 600, 3);
        fake.setStatus(r.egressId(), EgressStatus.EGRESS_FAILED, "could not connect to room");
        fake.sendWebhook(r.egressId(), "egress_ended");
        String retried = fake.retryAsNewEgress(r.egressId(), Duration.ofSeconds(4));
        fake.emitSegments(retried, 2);
        fake.sendWebhook(retried, "egress_updated");

        var after = r.player().buffer(r.id());
        assertThat(after.getString("status")).isEqualTo("ACTIVE");
        assertThat(after.getString("egressId")).isEqualTo(retried);
        assertThat(SEGMENTS.resolve(r.id()).resolve("seg-r1_00001.ts")).exists();
        assertThat(after.getDouble("availableSeconds")).isEqualTo(20.0);
        reconciler.reconcile();
        assertThat(fake.info(retried).getStatus()).as("the buffer's egress now: not stopped")
                .isEqualTo(EgressStatus.EGRESS_ACTIVE);
    }

    @Test
    void aRetryWhoseReportsWereLostIsLearntByReconcile() throws Exception {
        Recording r = recording("retry-lost", 600, 2);
        Player p = r.player();
        String id = r.id();
        String egressId = r.egressId();
        fake.retry(egressId, Duration.ofSeconds(3));
        fake.emitSegments(egressId, 3);
        assertThat(p.buffer(id).getDouble("availableSeconds")).as("the retry is not reported yet").isEqualTo(20.0);

        reconciler.reconcile(); // listEgress carries segment_results

        assertThat(reportedPlaylists(id)).hasSize(2);
        assertThat(p.buffer(id).getDouble("availableSeconds")).isEqualTo(30.0);
    }

    @Test
    void theSweepKeepsEveryAttemptsWindowAndTheStopEndsThePlaylists() throws Exception {
        Recording r = recording("sweep-attempts", 20, 6);
        Player p = r.player();
        String id = r.id();
        String egressId = r.egressId();
        fake.retry(egressId, Duration.ofSeconds(2));
        fake.emitSegments(egressId, 6);
        fake.sendWebhook(egressId, "egress_updated");
        Path dir = SEGMENTS.resolve(id);

        cleanup.run();

        // The fake dates attempt 0 to end now and the retry after it. The window is 20 s + one segment: attempt 0's
        // head has left it, its tail and the whole retry have not.
        assertThat(dir.resolve("seg-r{retry}_00001.ts")).doesNotExist();
        assertThat(dir.resolve("seg-r{retry}_00004.ts")).exists();
        assertThat(dir.resolve("seg-r1_00000.ts")).exists();
        assertThat(Files.readString(dir.resolve("playlist-r{retry}.m3u8"))).doesNotContain("seg-r{retry}_00001.ts");
        assertThat(p.buffer(id).getDouble("availableSeconds")).isEqualTo(20.0);

        as(p.user()).delete("/api/v1/replay-buffers/" + id).then().statusCode(200);
        assertThat(fake.info(egressId).getStatus()).isEqualTo(EgressStatus.EGRESS_ENDING);
        fake.complete(egressId);
        fake.sendWebhook(egressId, "egress_ended");
        assertThat(p.buffer(id).getString("status")).isEqualTo("STOPPED");
        assertThat(Files.readString(dir.resolve("playlist-r1.m3u8"))).endsWith("#EXT-X-ENDLIST\n");
        assertThat(dir.resolve(egressId + ".json")).as("we ask for no manifest").doesNotExist();
    }

    @Test
    void aBufferRecordedBeforeNamesWereKeptIsFoundBySearchingItsFolder() throws Exception {
        Player p = Player.joining(fake, "legacy");
        var buffer = p.start(600);
        String id = buffer.getString("id");
        fake.emitSegments(buffer.getString("egressId"), 2);
        // As after the V2 migration: the buffer exists, no attempt was ever recorded for it.
        QuarkusTransaction.requiringNew().run(() -> ReplayBufferSession.getEntityManager()
                .createNativeQuery("DELETE FROM egress_attempts WHERE buffer_id = ?1")
                .setParameter(1, UUID.fromString(id)).executeUpdate());
        // Once the few seconds of cached attempts have passed, the footage is found by searching, and counted.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(p.buffer(id).getDouble("availableSeconds")).isEqualTo(20.0);
            assertThat(io.restassured.RestAssured.given().get("/q/metrics").asString())
                    .containsPattern("replay_segment_names_discovered_total [1-9]");
        });
    }

    /** A player recording into a buffer whose egress is ACTIVE and has written {@code segments} segments. */
    private record Recording(Player player, String id, String egressId) {
    }

    private Recording recording(String prefix, int bufferSeconds, int segments) throws Exception {
        Player p = Player.joining(fake, prefix);
        var buffer = p.start(bufferSeconds);
        String egressId = buffer.getString("egressId");
        fake.setStatus(egressId, EgressStatus.EGRESS_ACTIVE, null);
        fake.emitSegments(egressId, segments);
        return new Recording(p, buffer.getString("id"), egressId);
    }

    private static List<String> reportedPlaylists(String bufferId) {
        return QuarkusTransaction.requiringNew().call(() -> ReplayBufferSession.getEntityManager()
                .createNativeQuery("SELECT playlist_name FROM egress_attempts WHERE buffer_id = ?1 ORDER BY retry_count",
                        String.class)
                .setParameter(1, UUID.fromString(bufferId)).getResultList());
    }
}
