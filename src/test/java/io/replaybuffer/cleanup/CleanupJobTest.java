package io.replaybuffer.cleanup;

import static io.replaybuffer.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.buffer.ReplayBufferSession;
import io.replaybuffer.clip.ClipStore;
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
import io.replaybuffer.testing.OtherReplica;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import livekit.LivekitEgress.EgressStatus;
import org.junit.jupiter.api.Test;

/** The scheduled cleanup as a whole: the lease across replicas, stopped buffers, and captures it must not harm. */
@QuarkusTest
class CleanupJobTest {

    private static final Path SEGMENTS = Path.of("target/test-data/segments");

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    CleanupJob job;

    @Inject
    CaptureFolders folders;

    @Inject
    InterruptedCaptures interrupted;

    @Inject
    ClipRecovery recovery;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    io.replaybuffer.buffer.BufferReconciler reconciler;

    private String stoppedLongAgo(Player player) throws Exception {
        JsonPath buffer = player.start(60);
        fake.emitSegments(buffer.getString("egressId"), 2);
        fake.setStatus(buffer.getString("egressId"), EgressStatus.EGRESS_COMPLETE, null);
        fake.sendWebhook(buffer.getString("egressId"), "egress_ended");
        QuarkusTransaction.requiringNew().run(() -> ReplayBufferSession.update("endedAt = ?1 where id = ?2",
                Instant.now().minus(Duration.ofMinutes(16)), UUID.fromString(buffer.getString("id"))));
        return buffer.getString("id");
    }

    @Test
    void whileAnotherReplicaSweepsThisOneDeletesNothing() throws Exception {
        String dir = stoppedLongAgo(Player.joining(fake, "contended"));
        try (Connection other = OtherReplica.holding(SweepLease.LOCK_ID); Statement release = other.createStatement()) {
            assertThat(job.run().skipped()).isTrue();
            assertThat(SEGMENTS.resolve(dir)).exists();
            // The other replica's sweep ends: it unlocks (a closed session's lock goes a moment later, see below).
            release.execute("SELECT pg_advisory_unlock(" + SweepLease.LOCK_ID + ")");
        }
        CleanupJob.Report report = job.run();
        assertThat(report.skipped()).isFalse();
        assertThat(SEGMENTS.resolve(dir)).doesNotExist();
        given().when().get("/q/metrics").then()
                .body(containsString("replay_buffer_cleanup_lock_contention_total"))
                .body(containsString("replay_buffer_cleanup_runs_total{outcome=\"success\"}"))
                .body(containsString("replay_buffer_storage_bytes{type=\"temp\"}"));
    }

    @Test
    void aHolderThatDiesReleasesTheLeaseAndTheNextSweepFinishesTheJob() throws Exception {
        String dir = stoppedLongAgo(Player.joining(fake, "dead-holder"));
        Connection holder = OtherReplica.holding(SweepLease.LOCK_ID);
        int pid;
        try (Statement statement = holder.createStatement(); ResultSet r = statement.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            pid = r.getInt(1);
        }
        assertThat(job.run().skipped()).isTrue();
        // The holder's process dies mid-sweep: PostgreSQL ends its session, and with it the lock.
        try (Connection admin = OtherReplica.connect();
                Statement kill = admin.createStatement()) {
            kill.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !job.run().skipped());
        assertThat(SEGMENTS.resolve(dir)).doesNotExist();
        holder.close();
    }

    @Test
    void theSweepAndTheReconcilerCountTheirPacedTime() throws Exception {
        Player p = Player.joining(fake, "paced");
        fake.emitSegments(p.start(60).getString("egressId"), 2);
        double sweep = backgroundSeconds("sweep", "working");
        double reconcile = backgroundSeconds("reconcile", "working");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !job.run().skipped());
        reconciler.reconcile();
        assertThat(backgroundSeconds("sweep", "working")).isGreaterThan(sweep);
        assertThat(backgroundSeconds("reconcile", "working")).isGreaterThan(reconcile);
        assertThat(registry.find("replay_buffer_background_seconds_total").tags("job", "sweep", "state", "paused")
                .counter()).isNotNull();
    }

    private double backgroundSeconds(String job, String state) {
        io.micrometer.core.instrument.Counter counter = registry.find("replay_buffer_background_seconds_total")
                .tags("job", job, "state", state).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aBufferStoppedWithinTheGraceStaysCapturable() throws Exception {
        Player p = Player.joining(fake, "graceful");
        JsonPath buffer = p.start(60);
        fake.emitSegments(buffer.getString("egressId"), 2);
        as(p.user()).delete("/api/v1/replay-buffers/" + buffer.getString("id")).then().statusCode(200);
        fake.setStatus(buffer.getString("egressId"), EgressStatus.EGRESS_COMPLETE, null);
        fake.sendWebhook(buffer.getString("egressId"), "egress_ended");
        job.run();
        assertThat(p.buffer(buffer.getString("id")).getDouble("availableSeconds")).isEqualTo(20.0);
        JsonPath clip = Clips.capture(p.user(), buffer.getString("id"), java.util.Map.of("durationSeconds", 10));
        assertThat(Clips.awaitDone(p.user(), clip.getString("id")).getString("status")).isEqualTo("READY");
    }

    @Test
    void aSecuredCaptureSurvivesTheSweepRemovingItsFootage() throws Exception {
        Player p = Player.joining(fake, "race");
        String dir = stoppedLongAgo(p);
        UUID clipId = UUID.randomUUID();
        interrupted.afterSecuring(p.user(), clipId, dir, Duration.ofSeconds(15)); // secured, build not yet run

        job.run(); // the buffer's whole directory goes; the capture folder stays, its clip is PROCESSING
        assertThat(SEGMENTS.resolve(dir)).doesNotExist();
        assertThat(folders.folder(clipId)).exists();

        recovery.recover(interrupted.later());
        assertThat(Clips.awaitDone(p.user(), clipId.toString()).getString("status")).isEqualTo("READY");
    }

    @Inject
    Leftovers leftovers;

    /** A compromised egress plants a link where a capture folder would be, pointing at a clip shard. */
    @Test
    void aLinkPlantedAsACaptureFolderIsUnlinkedAndItsTargetUntouched() throws Exception {
        Path shard = java.nio.file.Files.createDirectories(Path.of("target/test-data/clips", "zz"));
        Path clip = shard.resolve("precious.mp4");
        java.nio.file.Files.write(clip, new byte[1234]);
        java.nio.file.Files.setLastModifiedTime(shard, java.nio.file.attribute.FileTime.from(Instant.EPOCH));
        java.nio.file.Files.createDirectories(folders.root());
        Path planted = folders.root().resolve(UUID.randomUUID().toString());
        java.nio.file.Files.createSymbolicLink(planted, shard.toAbsolutePath());

        leftovers.remove(Instant.now().plus(Duration.ofDays(1)));
        folders.remove(UUID.fromString(planted.getFileName().toString()));

        assertThat(clip).exists().hasSize(1234);
        assertThat(planted).doesNotExist();
        java.nio.file.Files.delete(clip);
    }
}
