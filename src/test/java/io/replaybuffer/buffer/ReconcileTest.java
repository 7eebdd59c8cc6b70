package io.replaybuffer.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import livekit.LivekitEgress.EgressStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhooks get lost; one reconcile pass repairs the drift in both directions. */
@QuarkusTest
class ReconcileTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    BufferReconciler reconciler;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    BufferAttempts attempts;

    @AfterEach
    void liveKitUp() {
        fake.down(false);
        breakers.resetAll();
    }

    /** A player's new buffer whose egress LiveKit now lists as ACTIVE; no webhook told the service so. */
    private record Recording(Player player, String id, String egressId) {
        JsonPath view() {
            return player.buffer(id);
        }
    }

    private Recording activeInLiveKit(String prefix) {
        Player p = Player.joining(fake, prefix);
        var buffer = p.start(60);
        String egressId = buffer.getString("egressId");
        fake.setStatus(egressId, EgressStatus.EGRESS_ACTIVE, null);
        return new Recording(p, buffer.getString("id"), egressId);
    }

    private static long versionOf(UUID buffer) {
        return QuarkusTransaction.requiringNew().call(() -> ReplayBufferSession.<ReplayBufferSession>findById(buffer).version);
    }

    @Test
    void aLostActiveWebhookIsRepaired() {
        Recording buffer = activeInLiveKit("lost-active");
        reconciler.reconcile();
        assertThat(buffer.view().getString("status")).isEqualTo("ACTIVE");
    }

    @Test
    void aLostEndWebhookIsRepaired() {
        Player p = Player.joining(fake, "lost-end");
        var buffer = p.start(60);
        fake.setStatus(buffer.getString("egressId"), EgressStatus.EGRESS_ABORTED, "participant left");
        reconciler.reconcile();
        var after = p.buffer(buffer.getString("id"));
        assertThat(after.getString("status")).isEqualTo("FAILED");
        assertThat(after.getString("error")).contains("participant left");
    }

    @Test
    void aBufferWhoseEgressVanishedIsFailed() {
        Player p = Player.joining(fake, "vanished");
        var buffer = p.start(60);
        fake.forget(buffer.getString("egressId"));
        reconciler.reconcile();
        assertThat(p.buffer(buffer.getString("id")).getString("error")).contains("no longer exists");
    }

    @Test
    void anEgressStillRunningForAStoppedBufferIsStopped() {
        Recording buffer = activeInLiveKit("stray");
        fake.down(true); // the stop request cannot reach LiveKit
        io.replaybuffer.testing.Api.as(buffer.player().user()).when().delete("/api/v1/replay-buffers/" + buffer.id())
                .then().statusCode(200);
        assertThat(buffer.view().getString("status")).isEqualTo("STOPPING");
        liveKitUp();
        int stops = fake.calls("StopEgress");
        reconciler.reconcile();
        assertThat(fake.calls("StopEgress")).isGreaterThan(stops);
        fake.setStatus(buffer.egressId(), EgressStatus.EGRESS_COMPLETE, null);
        reconciler.reconcile();
        assertThat(buffer.view().getString("status")).isEqualTo("STOPPED");
    }

    @Test
    void aBufferStuckInStartingIsFailed() {
        Player p = Player.joining(fake, "stuck");
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            ReplayBufferSession s = new ReplayBufferSession();
            s.id = id;
            s.userId = p.user();
            s.roomName = p.room();
            s.participantIdentity = p.user();
            s.videoTrackId = p.video();
            s.status = BufferStatus.STARTING;
            s.segmentDir = id.toString();
            s.bufferSeconds = 60;
            s.startedAt = Instant.now().minus(Duration.ofMinutes(3)); // its replica died mid-start
            s.updatedAt = s.startedAt;
            s.persist();
        });
        reconciler.reconcile();
        var after = p.buffer(id.toString());
        assertThat(after.getString("status")).isEqualTo("FAILED");
        assertThat(after.getString("error")).contains("did not complete");
    }

    @Test
    void anActiveBufferWithoutNewSegmentsIsMarkedStalled() throws Exception {
        Recording buffer = activeInLiveKit("stall");
        QuarkusTransaction.requiringNew().run(() -> ReplayBufferSession.update(
                "startedAt = ?1 where id = ?2", Instant.now().minusSeconds(300), UUID.fromString(buffer.id())));
        reconciler.reconcile();
        assertThat(buffer.view().getBoolean("stalled")).isTrue();
        fake.emitSegments(buffer.egressId(), 1); // footage flows again
        reconciler.reconcile();
        assertThat(buffer.view().getBoolean("stalled")).isFalse();
    }

    @Test
    void aPassOverAHealthyBufferWritesNothing() throws Exception {
        Recording buffer = activeInLiveKit("healthy");
        reconciler.reconcile(); // learns that it is ACTIVE
        fake.emitSegments(buffer.egressId(), 2);
        UUID id = UUID.fromString(buffer.id());
        long version = versionOf(id);

        reconciler.reconcile();

        assertThat(buffer.view().getString("status")).isEqualTo("ACTIVE");
        assertThat(versionOf(id)).as("the row was not written").isEqualTo(version);
    }

    @Test
    void aPassOverAHealthyBufferDoesNotLockItsRow() throws Exception {
        Recording buffer = activeInLiveKit("unlocked");
        reconciler.reconcile(); // learns that it is ACTIVE, and its attempt
        fake.emitSegments(buffer.egressId(), 2);
        UUID id = UUID.fromString(buffer.id());
        String locker = lockerOf(id);

        reconciler.reconcile();

        // SELECT ... FOR UPDATE stamps the row with the locking transaction even when nothing is written.
        assertThat(lockerOf(id)).as("the row's last locker").isEqualTo(locker);
        assertThat(buffer.view().getString("status")).isEqualTo("ACTIVE");
    }

    @Test
    void anAttemptTheBufferHasNotSeenStillGoesThroughTheLockedPath() throws Exception {
        Recording buffer = activeInLiveKit("new-attempt");
        reconciler.reconcile();
        UUID id = UUID.fromString(buffer.id());
        String locker = lockerOf(id);
        fake.emitSegments(buffer.egressId(), 1);
        fake.retry(buffer.egressId(), Duration.ZERO); // egress' auto-retry: same id, retry_count 1, new names

        reconciler.reconcile();

        assertThat(lockerOf(id)).isNotEqualTo(locker);
        assertThat(QuarkusTransaction.requiringNew().call(() -> attempts.of(id))).hasSize(2);
    }

    private static String lockerOf(UUID buffer) {
        return QuarkusTransaction.requiringNew().call(() -> String.valueOf(ReplayBufferSession.getEntityManager()
                .createNativeQuery("SELECT xmax::text FROM replay_buffer_sessions WHERE id = ?1")
                .setParameter(1, buffer).getSingleResult()));
    }

    @Test
    void withLiveKitDownReconcileChangesNothing() {
        Player p = Player.joining(fake, "down");
        var buffer = p.start(60);
        fake.down(true);
        reconciler.reconcile();
        assertThat(p.buffer(buffer.getString("id")).getString("status")).isEqualTo("STARTING");
    }
}
