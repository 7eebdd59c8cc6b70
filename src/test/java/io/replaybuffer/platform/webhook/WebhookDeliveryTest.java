package io.replaybuffer.platform.webhook;

import static io.replaybuffer.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.buffer.BufferStatus;
import io.replaybuffer.buffer.BufferStore;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.Tokens;
import io.replaybuffer.testing.WebhookReceiver;
import io.replaybuffer.testing.WebhookReceiver.Received;
import io.replaybuffer.testing.WebhookReceiver.Reply;
import io.replaybuffer.testing.Webhooks;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Outgoing webhooks end to end: real changes through the API, a real HTTP receiver (three endpoints, {@code a},
 * {@code b} and {@code c}) that verifies every signature by the specification, and the admin listing. Timings from
 * {@link Webhooks}: 2 s timeout, retries from 200 ms, given up 10 s after the event.
 */
@QuarkusTest
@TestProfile(Webhooks.class)
class WebhookDeliveryTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    WebhookReceiver receiver;

    @Inject
    BufferStore buffers;

    @Inject
    WebhookPruner pruner;

    @Inject
    EntityManager em;

    @Test
    void everyEndpointGetsTheEventSignedWithTheSameIdAndTheResourceAsTheApiShowsIt() {
        Player p = Player.joining(fake, "signed");
        String id = p.start(120).getString("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.received("a", id).isEmpty()
                && !receiver.received("b", id).isEmpty() && !receiver.received("c", id).isEmpty());
        Received a = receiver.received("a", id).get(0);
        Received b = receiver.received("b", id).get(0);
        Received c = receiver.received("c", id).get(0);
        for (Received r : List.of(a, b, c)) {
            assertThat(r.verified()).as("signature verifies at the receiver").isTrue();
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.type()).isEqualTo("buffer.started");
            assertThat(Instant.parse(r.json().path("timestamp").asText())).isBefore(r.at().plusMillis(1));
            assertThat(r.json().fieldNames()).toIterable().containsExactly("type", "timestamp", "data");
            assertThat(r.json().path("data").path("id").asText()).isEqualTo(id);
            assertThat(r.json().path("data").path("status").asText()).isEqualTo("STARTING");
            assertThat(r.id()).startsWith("msg_").doesNotContain(".");
        }
        assertThat(List.of(b.id(), c.id())).as("one webhook-id per event, on every endpoint").containsOnly(a.id());
        // data has the fields the API's own GET shows
        JsonPath shown = p.buffer(id);
        assertThat(a.json().path("data").path("roomName").asText()).isEqualTo(shown.getString("roomName"));
        assertThat(a.json().path("data").has("availableSeconds")).isTrue();
        assertThat(a.json().path("data").path("previewUrl").asText()).isEqualTo(shown.getString("previewUrl"));
    }

    @Test
    void clipReadyCarriesTheClip() throws Exception {
        Player p = Player.joining(fake, "clip");
        JsonPath buffer = p.start(600);
        fake.emitSegments(buffer.getString("egressId"), 1);
        String clipId = Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 5)).getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("a", clipId).stream()
                .anyMatch(r -> r.type().equals("clip.ready")));
        Received ready = receiver.received("a", clipId).stream().filter(r -> r.type().equals("clip.ready")).findFirst()
                .orElseThrow();
        assertThat(ready.verified()).isTrue();
        assertThat(ready.json().path("data").path("status").asText()).isEqualTo("READY");
        assertThat(ready.json().path("data").path("downloadUrl").asText()).isEqualTo("/api/v1/clips/" + clipId + "/download");
        assertThat(ready.json().path("data").path("sizeBytes").asLong()).isPositive();
    }

    @Test
    void a500IsRetriedUnderTheSameIdUntilA2xx() {
        Player p = Player.joining(fake, "flaky");
        receiver.script("b", p.user(), Reply.status(500), Reply.status(503), Reply.ok());
        String id = p.start(120).getString("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received("b", id).size() >= 3);
        List<Received> tries = receiver.received("b", id);
        assertThat(tries).extracting(Received::id).containsOnly(tries.get(0).id());
        assertThat(tries).allMatch(Received::verified);
        assertThat(receiver.received("a", id)).as("the healthy endpoint got it once").hasSize(1);
        Map<String, Object> delivery = awaitListed("delivered", tries.get(0).id(), "/b");
        assertThat(statusCodes(delivery)).containsExactly(500, 503, 200);
        assertThat(receiver.received("b", id)).as("nothing after the 2xx").hasSize(3);
    }

    @Test
    void aTimeoutIsRetriedUnderTheSameId() {
        Player p = Player.joining(fake, "slow");
        receiver.script("b", p.user(), Reply.hang(Duration.ofSeconds(4)), Reply.hang(Duration.ofSeconds(4)), Reply.ok());
        String id = p.start(120).getString("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("b", id).size() >= 3);
        List<Received> tries = receiver.received("b", id);
        assertThat(tries).extracting(Received::id).containsOnly(tries.get(0).id());
        assertThat(Duration.between(tries.get(0).at(), tries.get(1).at())).as("waited out the 2 s timeout")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        Map<String, Object> delivery = awaitListed("delivered", tries.get(0).id(), "/b");
        List<Map<String, Object>> attempts = attempts(delivery);
        assertThat(attempts.get(0).get("error")).isEqualTo("no answer within 2000 ms");
        assertThat(attempts.get(1).get("error")).isEqualTo("no answer within 2000 ms");
        assertThat(attempts.get(2).get("statusCode")).isEqualTo(200);
    }

    @Test
    void aDeadEndpointDoesNotSlowTheOtherOne() {
        Player[] players = new Player[8];
        for (int i = 0; i < players.length; i++) {
            players[i] = Player.joining(fake, "dead");
            receiver.script("c", players[i].user(), Reply.hang(Duration.ofSeconds(30)));
        }
        for (Player p : players) {
            String id = p.start(120).getString("id");
            await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.received("a", id).isEmpty());
            Received a = receiver.received("a", id).get(0);
            Duration latency = Duration.between(Instant.parse(a.json().path("timestamp").asText()), a.at());
            // c's lane is full of attempts that each hang for the whole 2 s timeout; a's deliveries never wait for them
            assertThat(latency).as("change to receipt at the healthy endpoint").isLessThan(Duration.ofMillis(1500));
        }
        assertThat(receiver.received("c", players[0].user())).as("c was being tried meanwhile").isNotEmpty();
    }

    @Test
    void aDeliveryThatNeverSucceedsIsFailedAndListedWithItsAttempts() {
        Player p = Player.joining(fake, "refused");
        receiver.script("b", p.user(), Reply.status(500));
        String id = p.start(120).getString("id");
        await().atMost(Duration.ofSeconds(5)).until(() -> !receiver.received("b", id).isEmpty());
        String webhookId = receiver.received("b", id).get(0).id();
        Map<String, Object> failed = awaitListed("failed", webhookId, "/b");
        assertThat(failed.get("type")).isEqualTo("buffer.started");
        assertThat(failed.get("lastError")).isEqualTo("HTTP 500");
        assertThat(statusCodes(failed)).hasSizeGreaterThanOrEqualTo(3).containsOnly(500);
        assertThat((List<?>) failed.get("attempts")).hasSize((Integer) failed.get("attemptCount"));
        assertThat(receiver.received("b", id)).hasSize((Integer) failed.get("attemptCount"));
        assertThat(awaitListed("delivered", webhookId, "/a").get("status")).isEqualTo("DELIVERED");

        as(p.user()).get("/api/v1/admin/webhook-deliveries").then().statusCode(403);
        admin().get("/api/v1/admin/webhook-deliveries?status=lost").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("status"));
        given().get("/api/v1/admin/webhook-deliveries").then().statusCode(401);
    }

    @Test
    void aChangeThatRollsBackSendsNothing() {
        Player p = Player.joining(fake, "rollback");
        String id = p.start(120).getString("id");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            buffers.finish(buffers.lock(UUID.fromString(id)).orElseThrow(), BufferStatus.STOPPED, null);
            throw new IllegalStateException("the change fails after its event was queued");
        })).hasMessageContaining("fails after");
        assertThat(p.buffer(id).getString("status")).isNotEqualTo("STOPPED");
        assertThat(events(id, "buffer.stopped")).as("no event row, so nothing can ever be sent").isZero();

        buffers(id, BufferStatus.STOPPED);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received("a", id).stream()
                .anyMatch(r -> r.type().equals("buffer.stopped")));
        assertThat(events(id, "buffer.stopped")).isEqualTo(1);
        assertThat(receiver.received("a", id)).extracting(Received::type).containsExactly("buffer.started", "buffer.stopped");
    }

    @Test
    void oldRowsArePrunedDeliveredFirst() {
        Player p = Player.joining(fake, "prune");
        receiver.script("b", p.user(), Reply.status(410)); // Gone: failed at once
        String id = p.start(120).getString("id");
        String webhookId = awaitReceived("b", id).id();
        awaitListed("failed", webhookId, "/b");
        awaitListed("delivered", webhookId, "/a");
        Instant now = Instant.now();
        pruner.prune(now.plus(Duration.ofDays(8)));
        assertThat(deliveries(webhookId)).as("delivered after 7 days, failed kept 30").containsExactly("FAILED");
        pruner.prune(now.plus(Duration.ofDays(31)));
        assertThat(deliveries(webhookId)).isEmpty();
        assertThat(events(id, "buffer.started")).isZero();
    }

    @Test
    void metricsCountDeliveriesAttemptsAndTheOldestPendingEvent() {
        Player p = Player.joining(fake, "metrics");
        String id = p.start(120).getString("id");
        awaitReceived("a", id);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").asString();
            assertThat(metrics).contains("replay_buffer_webhook_deliveries_total{outcome=\"delivered\"}")
                    .contains("replay_buffer_webhook_attempts_total{result=\"success\"}")
                    .contains("replay_buffer_webhook_oldest_pending_seconds")
                    .contains("replay_buffer_webhook_delivery_latency_seconds_bucket");
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private Received awaitReceived(String path, String marker) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.received(path, marker).isEmpty());
        return receiver.received(path, marker).get(0);
    }

    private void buffers(String id, BufferStatus status) {
        QuarkusTransaction.requiringNew().run(() ->
                buffers.finish(buffers.lock(UUID.fromString(id)).orElseThrow(), status, null));
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", Tokens.bearer(Tokens.admin("ops")));
    }

    /** Waits until the listing of {@code status} has the delivery of {@code webhookId} to the endpoint ending so. */
    private static Map<String, Object> awaitListed(String status, String webhookId, String endpointSuffix) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Map<String, Object>> items = admin().get("/api/v1/admin/webhook-deliveries?limit=200&status=" + status)
                    .then().statusCode(200).extract().jsonPath().getList("items");
            return items.stream().filter(d -> webhookId.equals(d.get("webhookId"))
                    && ((String) d.get("endpoint")).endsWith(endpointSuffix)).findFirst().orElse(null);
        }, java.util.Objects::nonNull);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> attempts(Map<String, Object> delivery) {
        return (List<Map<String, Object>>) delivery.get("attempts");
    }

    private static List<Object> statusCodes(Map<String, Object> delivery) {
        return attempts(delivery).stream().map(a -> a.get("statusCode")).toList();
    }

    private long events(String marker, String type) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM webhook_events WHERE type = :type AND body LIKE :marker")
                .setParameter("type", type).setParameter("marker", "%" + marker + "%").getSingleResult()).longValue());
    }

    private List<String> deliveries(String webhookId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT status FROM webhook_deliveries WHERE event_id = :id ORDER BY status")
                .setParameter("id", webhookId).getResultList().stream().map(String.class::cast).toList());
    }
}
