package io.replaybuffer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.WebhookReceiver;
import io.replaybuffer.testing.WebhookReceiver.Received;
import io.replaybuffer.testing.Webhooks;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Outgoing webhooks: change to receipt over 200 real changes (buffer starts through the API; the event's timestamp is
 * taken in the change's transaction, the receipt when the receiver reads the request), and what the dispatcher costs
 * (CPU of its threads per delivery, and per second when idle). Peer in the same run: the same body POSTed straight to
 * the same receiver by a plain HTTP client, the floor of any delivery. Writes target/benchmarks/webhooks.md; run by
 * {@code scripts/bench webhooks}.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(Webhooks.TwoEndpoints.class)
class WebhookBenchmark {

    private static final int EVENTS = 200;
    private static final int WARM_UP = 20;

    @InjectFakeLiveKit
    FakeLiveKit fake;

    WebhookReceiver receiver;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Test
    void changeToReceipt() throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            startAndAwait("warm");
        }
        long cpuBefore = dispatcherCpuNanos();
        List<Duration> latencies = new ArrayList<>();
        long wallStart = System.nanoTime();
        for (int i = 0; i < EVENTS; i++) {
            latencies.add(startAndAwait("bench"));
        }
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        // both endpoints have every event: let b's deliveries finish before reading the CPU
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().stream()
                .filter(r -> r.path().equals("/b") && r.body().contains("bench-")).count() >= EVENTS);
        long busyCpu = dispatcherCpuNanos() - cpuBefore;
        int deliveries = EVENTS * 2;

        long idleBefore = dispatcherCpuNanos();
        long idleStart = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
        double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
        long idleCpu = dispatcherCpuNanos() - idleBefore;

        List<Duration> floor = floor();

        String report = String.format(Locale.ROOT, """
                ## Outgoing webhooks: change to receipt, and the dispatcher's cost

                %d buffer starts through the API, one after another, each a `buffer.started` event to two endpoints
                of a receiver on 127.0.0.1 that verifies every signature (`WebhookBenchmark`, test profile `Webhooks`:
                polling every 200 ms, which only matters for retries). Latency is from the event's timestamp, taken
                in the change's transaction, to the moment the receiver reads the request at endpoint `a`: commit,
                the after-commit wake-up, the claim, signing and the POST. Peer: the same body POSTed straight to the
                same receiver by a plain Java HTTP client (no outbox, no database), the floor of any delivery.

                | | p50 | p95 | max |
                |---|---|---|---|
                | change → receipt (outbox and dispatcher) | %.1f ms | %.1f ms | %.1f ms |
                | plain POST → receipt (peer) | %.1f ms | %.1f ms | %.1f ms |

                Dispatcher threads (`webhook-*`: lanes, their HTTP clients, the poller) used %.2f ms of CPU per
                delivery while busy (%d deliveries in %.1f s of starts), and %.2f ms of CPU per second when idle
                (polling every 200 ms: one `min(created_at)` and one claim per endpoint per poll, both index seeks).
                Inside the change's own transaction the outbox adds one insert per event and one per endpoint.
                """, EVENTS, ms(pct(latencies, 50)), ms(pct(latencies, 95)), ms(pct(latencies, 100)),
                ms(pct(floor, 50)), ms(pct(floor, 95)), ms(pct(floor, 100)),
                busyCpu / 1e6 / deliveries, deliveries, wallSeconds, idleCpu / 1e6 / idleSeconds);
        System.out.println(report);
        Files.createDirectories(Path.of("target/benchmarks"));
        Files.writeString(Path.of("target/benchmarks/webhooks.md"), report);
        assertThat(receiver.received()).filteredOn(r -> !r.path().equals("/plain")).allMatch(Received::verified);
    }

    /** Starts a buffer and waits for endpoint a to get its event; change-to-receipt of that event. */
    private Duration startAndAwait(String prefix) {
        Player player = Player.joining(fake, prefix);
        String id = player.start(120).getString("id");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> !receiver.received("a", id).isEmpty());
        Received got = receiver.received("a", id).get(0);
        return Duration.between(Instant.parse(got.json().path("timestamp").asText()), got.at());
    }

    /** The peer: the same kind of body, POSTed directly; send to receipt. */
    private List<Duration> floor() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String sample = receiver.received("a", "bench-").get(0).body();
        List<Duration> floor = new ArrayList<>();
        for (int i = 0; i < WARM_UP + EVENTS; i++) {
            String marker = "floor-" + i;
            Instant sent = Instant.now();
            http.send(HttpRequest.newBuilder(URI.create(receiver.url("plain"))).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(sample.replace("bench-", marker + "-"))).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (i >= WARM_UP) {
                floor.add(Duration.between(sent, receiver.received("plain", marker + "-").get(0).at()));
            }
        }
        return floor;
    }

    private long dispatcherCpuNanos() {
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("webhook-")) {
                long cpu = threads.getThreadCpuTime(thread.getId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }

    private static Duration pct(List<Duration> values, int percentile) {
        List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
