package io.replaybuffer.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.ItEnvironment;
import io.replaybuffer.testing.ServiceProcess;
import io.replaybuffer.testing.WebhookReceiver;
import io.replaybuffer.testing.WebhookReceiver.Received;
import io.replaybuffer.testing.WebhookReceiver.Reply;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Outgoing webhooks across real processes of the packaged service: two replicas dispatching the same outbox at once
 * deliver each event once, and a replica killed with {@code kill -9} between changes and their deliveries loses none
 * and sends none for a change that did not commit. The receiver is a real HTTP server verifying every signature.
 */
class WebhookReplicasIT {

    private static final long SEED = Long.getLong("webhooks.seed", System.nanoTime());

    @Test
    void twoDispatchersInTwoProcessesDeliverEachEventOnce() throws Exception {
        try (FakeLiveKit fake = new FakeLiveKit(); WebhookReceiver receiver = new WebhookReceiver();
                ItEnvironment it = ItEnvironment.fresh("webhooks2", fake)) {
            webhooks(it, receiver, "100ms");
            List<ServiceProcess> replicas = List.of(new ServiceProcess("webhooks-r1", it.env()),
                    new ServiceProcess("webhooks-r2", it.env()));
            try {
                for (ServiceProcess replica : replicas) {
                    replica.start();
                }
                // b is slow for half the players and fails first for the other half: rows stay due while both
                // replicas poll every 100 ms, and retries come due on both.
                List<String> buffers = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    Player player = Player.joining(fake, "twice");
                    receiver.script("b", player.user(), i % 2 == 0
                            ? new Reply[] {Reply.hang(Duration.ofMillis(300)), Reply.ok()}
                            : new Reply[] {Reply.status(500), Reply.ok()});
                    buffers.add(start(replicas.get(i % 2), player));
                }
                Awaitility.await("every event delivered to both endpoints").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500)).until(() -> pending(it) == 0 && delivered(it) == 120);
                for (String path : List.of("a", "b")) {
                    Map<String, Long> okById = receiver.received().stream()
                            .filter(r -> r.path().equals("/" + path) && r.reply().status() < 300)
                            .collect(Collectors.groupingBy(Received::id, Collectors.counting()));
                    Set<String> bufferIds = receiver.received().stream().filter(r -> r.path().equals("/" + path))
                            .map(r -> r.json().path("data").path("id").asText()).collect(Collectors.toSet());
                    assertThat(bufferIds).as("endpoint %s heard of every buffer", path).containsAll(buffers);
                    assertThat(okById.values()).as("endpoint %s: one answered delivery per event", path)
                            .allMatch(count -> count == 1);
                }
                assertThat(receiver.received()).allMatch(Received::verified);
                assertThat(attemptsByReceipts(it, receiver)).as("every attempt recorded reached the receiver once").isTrue();
                for (ServiceProcess replica : replicas) {
                    assertThat(successes(replica)).as("%s delivered some", replica.url()).isPositive();
                }
                System.out.printf("two dispatchers: %d deliveries, %d requests received, successes by replica %s%n",
                        delivered(it), receiver.received().size(),
                        replicas.stream().map(WebhookReplicasIT::successes).toList());
            } finally {
                replicas.forEach(ServiceProcess::close);
            }
        }
    }

    @Test
    void killedBetweenChangesAndDeliveriesNothingIsLostAndNothingIsMadeUp() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        System.out.println("webhook kill -9 test: seed " + SEED);
        try (FakeLiveKit fake = new FakeLiveKit(); WebhookReceiver receiver = new WebhookReceiver();
                ItEnvironment it = ItEnvironment.fresh("webhookkill", fake)) {
            webhooks(it, receiver, "1s");
            ServiceProcess service = new ServiceProcess("webhooks-kill9", it.env());
            ExecutorService clients = Executors.newFixedThreadPool(4);
            Set<String> answered = new HashSet<>();
            int cut = 0;
            try {
                for (int round = 0; round < 4; round++) {
                    service.start();
                    List<Future<String>> starts = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        Player player = Player.joining(fake, "kill");
                        // The endpoint answers slowly: deliveries are in flight, claimed or still queued at the kill.
                        receiver.script("a", player.user(), Reply.hang(Duration.ofMillis(200 + random.nextInt(600))));
                        starts.add(clients.submit(() -> start(service, player)));
                    }
                    // The kill point: after a random number of starts were answered, while others are mid-change
                    // and the answered ones' deliveries are queued, claimed or waiting for the slow endpoint.
                    int before = random.nextInt(3, 13);
                    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                            .until(() -> starts.stream().filter(Future::isDone).count() >= before);
                    service.kill();
                    for (Future<String> start : starts) {
                        try {
                            answered.add(start.get());
                        } catch (java.util.concurrent.ExecutionException e) {
                            cut++; // cut by the kill: it may or may not have committed
                            if (cut == 1) {
                                System.out.println("first start cut by a kill: " + e.getCause());
                            }
                        }
                    }
                }
                receiver.unscript("a");
                service.start();
                Set<String> committed = bufferRows(it);
                assertThat(committed).as("every answered start committed").containsAll(answered);
                Awaitility.await("every committed change delivered").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500)).until(() -> delivered(receiver, "a").containsAll(committed)
                                && delivered(receiver, "b").containsAll(committed));
                for (String path : List.of("a", "b")) {
                    assertThat(delivered(receiver, path)).as("endpoint %s heard of no buffer that did not commit", path)
                            .isSubsetOf(committed);
                }
                assertThat(receiver.received()).allMatch(Received::verified);
                long requests = receiver.received().size();
                System.out.printf("webhook kill -9 test: 4 kills, %d changes committed (%d answered), %d requests for"
                        + " %d deliveries (the rest: attempts cut by a kill, sent again)%n", committed.size(),
                        answered.size(), requests, committed.size() * 2);
            } finally {
                clients.shutdownNow();
                service.close();
            }
        }
    }

    private static void webhooks(ItEnvironment it, WebhookReceiver receiver, String pollEvery) {
        it.env().putAll(Map.of(
                "REPLAY_WEBHOOK_URLS", receiver.url("a") + "," + receiver.url("b"),
                "REPLAY_WEBHOOK_SECRET", receiver.secret(),
                "REPLAY_WEBHOOK_TIMEOUT", "2s",
                "REPLAY_WEBHOOK_FIRST_RETRY_AFTER", "200ms",
                "REPLAY_WEBHOOK_MAX_RETRY_AFTER", "1s",
                "REPLAY_WEBHOOK_POLL_EVERY", pollEvery,
                "REPLAY_WEBHOOK_CONCURRENCY", "8"));
    }

    /** Starts a buffer on one replica; its id. */
    private static String start(ServiceProcess replica, Player player) {
        return Api.as(player.user()).port(replica.port()).contentType("application/json").body(player.startBody(120))
                .post("/api/v1/replay-buffers").then().statusCode(201).extract().jsonPath().getString("id");
    }

    /** Buffer ids of the 2xx-answered buffer.started deliveries to {@code path}. */
    private static Set<String> delivered(WebhookReceiver receiver, String path) {
        return receiver.received().stream()
                .filter(r -> r.path().equals("/" + path) && r.reply().status() < 300 && r.type().equals("buffer.started"))
                .map(r -> r.json().path("data").path("id").asText()).collect(Collectors.toSet());
    }

    private static Set<String> bufferRows(ItEnvironment it) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection db = it.connect(); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT id FROM replay_buffer_sessions")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static long pending(ItEnvironment it) throws Exception {
        return count(it, "SELECT count(*) FROM webhook_deliveries WHERE status = 'PENDING'");
    }

    private static long delivered(ItEnvironment it) throws Exception {
        return count(it, "SELECT count(*) FROM webhook_deliveries WHERE status = 'DELIVERED'");
    }

    private static long count(ItEnvironment it, String query) throws Exception {
        try (Connection db = it.connect(); Statement sql = db.createStatement(); ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Each recorded attempt of each event and endpoint matches one request the receiver got, and the other way round. */
    private static boolean attemptsByReceipts(ItEnvironment it, WebhookReceiver receiver) throws Exception {
        Map<String, Long> recorded = new HashMap<>();
        try (Connection db = it.connect(); Statement sql = db.createStatement(); ResultSet rows = sql.executeQuery(
                "SELECT d.event_id, d.endpoint, count(a.number) FROM webhook_deliveries d"
                        + " JOIN webhook_attempts a ON a.delivery_id = d.id GROUP BY d.event_id, d.endpoint")) {
            while (rows.next()) {
                String path = rows.getString(2).substring(rows.getString(2).lastIndexOf('/'));
                recorded.put(rows.getString(1) + path, rows.getLong(3));
            }
        }
        Map<String, Long> received = receiver.received().stream()
                .collect(Collectors.groupingBy(r -> r.id() + r.path(), Collectors.counting()));
        return recorded.equals(received);
    }

    private static long successes(ServiceProcess replica) {
        String metrics = io.restassured.RestAssured.given().port(replica.port()).get("/q/metrics").asString();
        return metrics.lines().filter(l -> l.startsWith("replay_buffer_webhook_attempts_total{result=\"success\"}"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
