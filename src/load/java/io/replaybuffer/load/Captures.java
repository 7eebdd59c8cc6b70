package io.replaybuffer.load;

import io.replaybuffer.testing.ItEnvironment;
import io.replaybuffer.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * Capture acceptance: 200 players, each with a buffer on the simulated egress (200 recordings writing real segments),
 * and captures at 50 a second spread over them in turn, as Gatling's open model sends them. Accepted is 201/202;
 * past the build queue (REPLAY_CAPTURE_CONCURRENCY + REPLAY_CAPTURE_QUEUE) a capture is 503 with Retry-After.
 */
final class Captures {

    static final int PLAYERS = 200;
    static final int RATE = 50;
    static final int SECONDS = 20;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private Captures() {
    }

    static Tally.Result measure(ItEnvironment it) throws Exception {
        Map<String, String> env = new HashMap<>(it.env());
        env.put("REPLAY_EGRESS_SIMULATED", "true");
        // Without LiveKit settings the simulated egress is also the room roster (every participant publishes).
        env.keySet().removeIf(name -> name.startsWith("LIVEKIT_"));
        env.put("REPLAY_SEGMENT_DURATION_SECONDS", "2");
        try (ServiceProcess service = new ServiceProcess("load-captures", env).start()) {
            HttpClient http = HttpClient.newHttpClient();
            List<Map<String, Object>> captures = new ArrayList<>();
            for (int i = 0; i < PLAYERS; i++) {
                String user = "capture-player-" + i;
                String token = LoadRun.token(user);
                String body = """
                        {"roomName":"load-room-%1$d","participantIdentity":"%2$s","videoTrackId":"TR_v%1$d",
                        "audioTrackId":"TR_a%1$d","bufferSeconds":120}""".formatted(i, user);
                HttpResponse<String> started = http.send(HttpRequest.newBuilder(
                        URI.create(service.url() + "/api/v1/replay-buffers")).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
                Matcher id = ID.matcher(started.body());
                if (started.statusCode() != 201 || !id.find()) {
                    throw new IllegalStateException("buffer start: " + started.statusCode() + " " + started.body());
                }
                captures.add(LoadRun.post("capture", "/api/v1/replay-buffers/" + id.group(1) + "/captures", token,
                        "{\"durationSeconds\":4}"));
            }
            // Every buffer has footage to capture: the last one started holds at least two segments.
            String last = (String) captures.get(PLAYERS - 1).get("path");
            String lastToken = ((String) captures.get(PLAYERS - 1).get("authorization"));
            Awaitility.await("footage in every buffer").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create(service.url()
                            + last.replace("/captures", ""))).header("Authorization", lastToken).build(),
                            HttpResponse.BodyHandlers.ofString()).body().matches("(?s).*\"availableSeconds\"\\s*:\\s*([4-9]|[1-9][0-9]).*"));
            return LoadRun.run(new LoadRun.Target(service.url(), service.handle()), captures, RATE, SECONDS);
        }
    }
}
