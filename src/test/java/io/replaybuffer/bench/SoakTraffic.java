package io.replaybuffer.bench;

import io.replaybuffer.testing.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What players do while the soak runs, at a constant rate (an open model: requests start on schedule whether or not
 * earlier ones finished): look at their buffer (60%), list their clips (30%), read their quota (10%); and one
 * capture of 20 s every 10 s. The load benchmark measures throughput; this only keeps the service serving.
 */
final class SoakTraffic {

    private static final Duration TOKEN_LIFE = Duration.ofMinutes(4); // signed tokens expire after 5 minutes

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final SoakFleet fleet;
    private final Map<String, String[]> tokens = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new TreeMap<>();
    private final List<Long> latencies = new ArrayList<>();

    SoakTraffic(String base, SoakFleet fleet) {
        this.base = base;
        this.fleet = fleet;
    }

    void start(ScheduledExecutorService scheduler, int requestsPerSecond) {
        scheduler.scheduleAtFixedRate(this::oneRequest, 0, 1_000_000 / requestsPerSecond, TimeUnit.MICROSECONDS);
        scheduler.scheduleAtFixedRate(this::oneCapture, 5, 10, TimeUnit.SECONDS);
    }

    private void oneRequest() {
        SoakFleet.Buffer buffer = any();
        int dice = ThreadLocalRandom.current().nextInt(10);
        String path = dice < 6 ? "/api/v1/replay-buffers/" + buffer.id()
                : dice < 9 ? "/api/v1/clips?limit=20" : "/api/v1/quota";
        send(buffer, HttpRequest.newBuilder(URI.create(base + path)).GET(), "get");
    }

    private void oneCapture() {
        SoakFleet.Buffer buffer = any();
        send(buffer, HttpRequest.newBuilder(URI.create(base + "/api/v1/replay-buffers/" + buffer.id() + "/captures"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"durationSeconds\": 20}")), "capture");
    }

    private SoakFleet.Buffer any() {
        List<SoakFleet.Buffer> all = fleet.buffers();
        return all.get(ThreadLocalRandom.current().nextInt(all.size()));
    }

    private void send(SoakFleet.Buffer buffer, HttpRequest.Builder request, String kind) {
        long t0 = System.nanoTime();
        http.sendAsync(request.header("Authorization", "Bearer " + token(buffer.player().user()))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, failure) -> {
                    String key = kind + " " + (failure != null ? failure.getClass().getSimpleName() : response.statusCode());
                    synchronized (this) {
                        statuses.merge(key, 1, Integer::sum);
                        if (kind.equals("get") && failure == null) {
                            latencies.add(System.nanoTime() - t0);
                        }
                    }
                });
    }

    private String token(String user) {
        long now = System.nanoTime();
        String[] held = tokens.get(user);
        if (held == null || now - Long.parseLong(held[1]) > TOKEN_LIFE.toNanos()) {
            held = new String[] {Tokens.user(user), Long.toString(now)};
            tokens.put(user, held);
        }
        return held[0];
    }

    /** Status counts by kind since the last call, and the GET latencies' p50 and p99 in ms; resets both. */
    synchronized Window drain() {
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(null);
        Window window = new Window(new TreeMap<>(statuses), sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.99));
        latencies.clear();
        return window;
    }

    /** Totals since start: status counts only (latency windows are drained per sample). */
    synchronized Map<String, Integer> totals() {
        return new TreeMap<>(statuses);
    }

    record Window(Map<String, Integer> statuses, int gets, double p50, double p99) {
    }

    private static double percentile(List<Long> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6;
    }
}
