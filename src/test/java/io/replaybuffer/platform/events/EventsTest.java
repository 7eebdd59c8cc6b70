package io.replaybuffer.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.SseClient;
import io.replaybuffer.testing.Tokens;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import livekit.LivekitEgress.EgressStatus;
import org.junit.jupiter.api.Test;

/** The owner's buffer events over SSE, including ones published by another replica through Redis. */
@QuarkusTest
class EventsTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @TestHTTPResource("/api/v1/events")
    URI events;

    @Inject
    RedisDataSource redis;

    @Test
    void theOwnerSeesBufferEventsAndOthersDoNot() {
        Player p = Player.joining(fake, "sse");
        try (SseClient owner = new SseClient(events, Tokens.user(p.user()));
                SseClient stranger = new SseClient(events, Tokens.user("stranger-" + p.user()))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> owner.connected() && stranger.connected());
            var buffer = p.start(60);
            String id = buffer.getString("id");
            await().atMost(Duration.ofSeconds(5)).until(() -> owner.received("buffer.started", id));

            fake.setStatus(buffer.getString("egressId"), EgressStatus.EGRESS_ACTIVE, null);
            fake.sendWebhook(buffer.getString("egressId"), "egress_updated");
            await().atMost(Duration.ofSeconds(5)).until(() -> owner.received("buffer.active", "\"status\":\"ACTIVE\""));

            fake.setStatus(buffer.getString("egressId"), EgressStatus.EGRESS_FAILED, "boom");
            fake.sendWebhook(buffer.getString("egressId"), "egress_ended");
            await().atMost(Duration.ofSeconds(5)).until(() -> owner.received("buffer.failed", "boom"));
            assertThat(stranger.lines()).noneMatch(line -> line.contains(id));
        }
    }

    @Test
    void eventsPublishedByAnotherReplicaReachThisOnesSubscribers() {
        String user = "replica-user";
        try (SseClient client = new SseClient(events, Tokens.user(user))) {
            await().atMost(Duration.ofSeconds(5)).until(client::connected);
            // What another replica's EventHub puts on the channel.
            redis.pubsub(UserEvent.class).publish(EventHub.CHANNEL,
                    new UserEvent(user, "clip.ready", "{\"id\":\"from-replica-2\"}"));
            await().atMost(Duration.ofSeconds(5)).until(() -> client.received("clip.ready", "from-replica-2"));
        }
    }
}
