package io.replaybuffer.capture.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.clip.ClipOutcomes;
import io.replaybuffer.clip.build.ClipRecovery;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.InterruptedCaptures;
import io.replaybuffer.testing.SharedFootage;
import io.replaybuffer.testing.WebhookReceiver;
import io.replaybuffer.testing.Webhooks;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A team replay settles exactly once, whoever ends its last clip: two clips ending at the same moment (as on two
 * replicas), recovery rebuilding an interrupted clip after a restart, and a capture request that died before
 * sealing its group. Outgoing webhooks are on (a real receiver), so "once" is counted in what was sent.
 */
@QuarkusTest
@TestProfile(Webhooks.class)
class GroupSettlementTest {

    private static final SharedFootage FOOTAGE = new SharedFootage("settle");

    @InjectFakeLiveKit
    FakeLiveKit fake;

    WebhookReceiver receiver;

    @Inject
    CaptureGroupStore groups;

    @Inject
    GroupRecovery groupRecovery;

    @Inject
    ClipOutcomes clips;

    @Inject
    ClipRecovery clipRecovery;

    @Inject
    InterruptedCaptures interrupted;

    @Inject
    EntityManager em;

    private UUID group(String createdBy) {
        UUID id = UUID.randomUUID();
        Instant to = Instant.now();
        groups.create(id, "room-settle", createdBy, new TeamWindow(to.minusSeconds(10), to));
        return id;
    }

    /** A PROCESSING clip of {@code groupId} that no build claimed. */
    private UUID processingClip(String owner, UUID groupId) {
        UUID clipId = UUID.randomUUID();
        Instant to = Instant.now();
        interrupted.beforeSecuring(owner, clipId, to.minusSeconds(10), to, 1000, groupId);
        return clipId;
    }

    private long sent(UUID groupId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT count(*) FROM"
                + " webhook_events WHERE type = 'capture-group.ready' AND body LIKE :group")
                .setParameter("group", "%" + groupId + "%").getSingleResult()).longValue());
    }

    /** The capture-group.ready deliveries endpoint {@code a} received for the group (its clips' events name it too). */
    private List<WebhookReceiver.Received> delivered(UUID groupId) {
        return receiver.received("a", groupId.toString()).stream()
                .filter(r -> r.type().equals("capture-group.ready")).toList();
    }

    @Test
    void twoClipsEndingAtTheSameMomentSettleTheGroupOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                UUID groupId = group("game-server-race");
                UUID a = processingClip("race-a", groupId);
                UUID b = processingClip("race-b", groupId);
                groups.seal(groupId, List.of());
                assertThat(groups.view(groupId).orElseThrow().status()).isEqualTo(CaptureGroup.Status.PROCESSING);

                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> runs = new ArrayList<>();
                for (UUID clip : List.of(a, b)) {
                    runs.add(threads.submit(() -> {
                        go.await();
                        return clips.fail(clip, "the footage could not be secured");
                    }));
                }
                go.countDown();
                for (Future<?> run : runs) {
                    run.get(30, TimeUnit.SECONDS);
                }
                CaptureGroupView settled = groups.view(groupId).orElseThrow();
                assertThat(settled.status()).as("round %d", round).isEqualTo(CaptureGroup.Status.FAILED);
                assertThat(settled.settledAt()).isNotNull();
                assertThat(sent(groupId)).as("capture-group.ready queued once in round %d", round).isEqualTo(1);
                await().atMost(Duration.ofSeconds(30)).until(() -> !delivered(groupId).isEmpty());
                assertThat(delivered(groupId)).hasSize(1);
                assertThat(delivered(groupId).get(0).json().path("data").path("status").asText()).isEqualTo("FAILED");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aClipInterruptedByARestartIsRebuiltAndSettlesItsGroup() throws Exception {
        Player p = FOOTAGE.player(fake);
        UUID groupId = group("game-server-restart");
        UUID built = UUID.randomUUID();
        interrupted.duringBuild(p.user(), built, FOOTAGE.bufferDir(fake), Duration.ofSeconds(5), groupId);
        UUID failed = processingClip("restart-b", groupId);
        clips.fail(failed, "the footage could not be secured");
        groups.seal(groupId, List.of(new CaptureGroupView.Skipped("late", "no-active-buffer", "not recording")));
        assertThat(groups.view(groupId).orElseThrow().status()).isEqualTo(CaptureGroup.Status.PROCESSING);

        // The replica that was building died; after the restart, recovery takes the clip over once its lease ran out.
        assertThat(clipRecovery.recover(interrupted.later())).contains(built);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                groups.view(groupId).orElseThrow().status() != CaptureGroup.Status.PROCESSING);
        CaptureGroupView settled = groups.view(groupId).orElseThrow();
        assertThat(settled.status()).isEqualTo(CaptureGroup.Status.PARTIAL);
        assertThat(settled.clips()).extracting(m -> m.clip().status().name()).containsExactlyInAnyOrder("READY", "FAILED");
        assertThat(settled.skipped()).extracting(CaptureGroupView.Skipped::participantIdentity).containsExactly("late");
        assertThat(sent(groupId)).isEqualTo(1);
    }

    @Test
    void aGroupWhoseCaptureRequestDiedBeforeSealingIsSettledByRecovery() {
        UUID groupId = group("game-server-died");
        UUID clip = processingClip("died-a", groupId);
        clips.fail(clip, "the footage could not be secured");
        // The request died before sealing: its clips' ending cannot settle the group (others might have followed).
        assertThat(groups.view(groupId).orElseThrow().status()).isEqualTo(CaptureGroup.Status.PROCESSING);
        assertThat(groupRecovery.recover(Instant.now())).doesNotContain(groupId); // too young: maybe still capturing

        assertThat(groupRecovery.recover(interrupted.later())).contains(groupId);
        assertThat(groups.view(groupId).orElseThrow().status()).isEqualTo(CaptureGroup.Status.FAILED);
        assertThat(sent(groupId)).isEqualTo(1);
        groupRecovery.recover(interrupted.later()); // again: nothing more is sent
        assertThat(sent(groupId)).isEqualTo(1);
    }
}
