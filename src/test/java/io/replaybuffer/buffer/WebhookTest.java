package io.replaybuffer.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import livekit.LivekitEgress.EgressStatus;
import org.junit.jupiter.api.Test;

/** The webhook receiver: nothing unverified is read, and no event moves a buffer backwards. */
@QuarkusTest
class WebhookTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Test
    void forgedTamperedOrUnsignedWebhooksAreRejectedAndChangeNothing() {
        Player p = Player.joining(fake, "forgery");
        var buffer = p.start(60);
        String egressId = buffer.getString("egressId");
        fake.setStatus(egressId, EgressStatus.EGRESS_FAILED, "forged failure");
        String body = fake.webhookBody(egressId, "egress_ended");

        assertThat(fake.postWebhook(body, FakeLiveKit.signWebhook(body, "not-the-secret"))).isEqualTo(401);
        assertThat(fake.postWebhook(body, null)).isEqualTo(401);
        String signedOther = FakeLiveKit.signWebhook(body.replace("forged failure", "other text"), FakeLiveKit.API_SECRET);
        assertThat(fake.postWebhook(body, signedOther)).as("body hash must match").isEqualTo(401);
        assertThat(fake.postWebhook("{not json", FakeLiveKit.signWebhook("{not json", "wrong"))).isEqualTo(401);

        assertThat(p.buffer(buffer.getString("id")).getString("status")).isEqualTo("STARTING");
    }

    @Test
    void startedEventWithoutStatusFieldKeepsStarting() {
        Player p = Player.joining(fake, "early");
        var buffer = p.start(60);
        // LiveKit omits default values: a STARTING event carries no status field at all.
        assertThat(fake.sendWebhook(buffer.getString("egressId"), "egress_started")).isEqualTo(204);
        assertThat(p.buffer(buffer.getString("id")).getString("status")).isEqualTo("STARTING");
    }

    @Test
    void duplicatedAndLateEventsNeverMoveABufferBackwards() {
        Player p = Player.joining(fake, "late");
        var buffer = p.start(60);
        String id = buffer.getString("id");
        String egressId = buffer.getString("egressId");
        fake.setStatus(egressId, EgressStatus.EGRESS_ACTIVE, null);
        String active = fake.webhookBody(egressId, "egress_updated");
        fake.sendWebhook(egressId, "egress_updated");
        fake.sendWebhook(egressId, "egress_updated");
        assertThat(p.buffer(id).getString("status")).isEqualTo("ACTIVE");

        fake.setStatus(egressId, EgressStatus.EGRESS_COMPLETE, null);
        fake.sendWebhook(egressId, "egress_ended");
        assertThat(p.buffer(id).getString("status")).isEqualTo("STOPPED");

        // The ACTIVE event arrives again, late: the ended buffer stays ended.
        assertThat(fake.postWebhook(active, FakeLiveKit.signWebhook(active, FakeLiveKit.API_SECRET))).isEqualTo(204);
        assertThat(p.buffer(id).getString("status")).isEqualTo("STOPPED");
    }

    @Test
    void failedAbortedAndLimitReachedBecomeFailedWithTheReason() {
        for (EgressStatus status : new EgressStatus[] {EgressStatus.EGRESS_FAILED, EgressStatus.EGRESS_ABORTED,
                EgressStatus.EGRESS_LIMIT_REACHED}) {
            Player p = Player.joining(fake, "fails");
            var buffer = p.start(60);
            fake.setStatus(buffer.getString("egressId"), status, "pipeline went away");
            fake.sendWebhook(buffer.getString("egressId"), "egress_ended");
            var after = p.buffer(buffer.getString("id"));
            assertThat(after.getString("status")).isEqualTo("FAILED");
            assertThat(after.getString("error")).contains("pipeline went away");
        }
    }

    @Test
    void eventsForOtherEgressesAreIgnored() {
        Player p = Player.joining(fake, "other");
        var buffer = p.start(60);
        String body = fake.webhookBody(buffer.getString("egressId"), "room_finished");
        assertThat(fake.postWebhook(body, FakeLiveKit.signWebhook(body, FakeLiveKit.API_SECRET))).isEqualTo(204);
        assertThat(p.buffer(buffer.getString("id")).getString("status")).isEqualTo("STARTING");
    }
}
