package io.replaybuffer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A game backend's webhook endpoint, for real: an HTTP server on 127.0.0.1 that checks every delivery's signature with
 * {@link StandardWebhooksVerifier} and records it. Each path is one endpoint; a test scripts how a path answers the
 * deliveries whose body contains a marker of its own (a user id, a buffer id), so tests sharing the receiver never
 * disturb each other. Unscripted deliveries get 204.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a path answers: a status, or silence for a while (the sender's timeout cuts it off), then 200. */
    public record Reply(int status, Duration hang) {
        public static Reply ok() {
            return new Reply(200, Duration.ZERO);
        }

        public static Reply status(int status) {
            return new Reply(status, Duration.ZERO);
        }

        public static Reply hang(Duration hang) {
            return new Reply(200, hang);
        }
    }

    /** One delivery as it arrived, with the receiver's verdict on its signature and the moment it arrived. */
    public record Received(String path, String id, String timestamp, String signature, String contentType, String body,
            boolean verified, Instant at, Reply reply) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String type() {
            return json().path("type").asText();
        }
    }

    private record Script(String path, String marker, List<Reply> replies) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(); // a hanging answer holds only its own thread
    private final String secret;
    private final StandardWebhooksVerifier verifier;
    private final List<Script> scripts = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public WebhookReceiver() throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        this.verifier = new StandardWebhooksVerifier(secret);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** The secret the sender must be configured with. */
    public String secret() {
        return secret;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    /** Deliveries to {@code path} whose body contains {@code marker} get these replies in turn, the last one for ever. */
    public void script(String path, String marker, Reply... replies) {
        scripts.add(new Script("/" + path, marker, new ArrayList<>(List.of(replies))));
    }

    /** Drops the scripts of {@code path}: it answers 204 again. */
    public void unscript(String path) {
        scripts.removeIf(script -> script.path().equals("/" + path));
    }

    /** Every delivery that arrived, in arrival order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Every delivery to {@code path} whose body contains {@code marker}, in arrival order. */
    public List<Received> received(String path, String marker) {
        return received.stream().filter(r -> r.path().equals("/" + path) && r.body().contains(marker)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Instant at = Instant.now();
            var headers = exchange.getRequestHeaders();
            String id = headers.getFirst("webhook-id");
            String timestamp = headers.getFirst("webhook-timestamp");
            String signature = headers.getFirst("webhook-signature");
            String path = exchange.getRequestURI().getPath();
            Reply reply = replyFor(path, body);
            received.add(new Received(path, id, timestamp, signature, headers.getFirst("content-type"), body,
                    verifier.verify(id, timestamp, body, signature, at), at, reply));
            if (!reply.hang().isZero()) {
                try {
                    TimeUnit.MILLISECONDS.sleep(reply.hang().toMillis()); // the endpoint is slow: the point of the test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            exchange.sendResponseHeaders(reply.status(), -1);
        } catch (IOException e) {
            // the sender gave up and closed the connection
        }
    }

    private Reply replyFor(String path, String body) {
        for (Script script : scripts) {
            if (script.path().equals(path) && body.contains(script.marker())) {
                synchronized (script.replies()) {
                    return script.replies().size() > 1 ? script.replies().remove(0) : script.replies().get(0);
                }
            }
        }
        return Reply.status(204);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
