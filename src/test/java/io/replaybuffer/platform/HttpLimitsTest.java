package io.replaybuffer.platform;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.egress.EgressMetrics;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.Tokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP layer refuses before any work: bodies over 1 MiB (declared or streamed), and connections that sit
 * idle. Raw sockets show the refusal comes before the body is sent.
 */
@QuarkusTest
class HttpLimitsTest {

    private static final int MIB = 1 << 20;

    @TestHTTPResource("/")
    URL base;

    /** Sends a request head and {@code sent} bytes of its body; returns whatever the server answers within 5 s. */
    private String rawPost(String path, String extraHeaders, long declared, int sent) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + extraHeaders + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[sent]);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = in.read(chunk)) > 0 && answer.indexOf("}") < 0;) {
                    answer.append(new String(chunk, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException waiting) {
                answer.append("[no answer within 5 s]");
            }
            return answer.toString();
        }
    }

    @Test
    void aWebhookDeclaringMoreThanOneMibIsRefusedBeforeItsBodyIsRead() throws Exception {
        String answer = rawPost("/api/v1/livekit/webhook", "Authorization: anything\r\n", MIB + 1L, 100);
        assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                .contains("\"type\":\"payload-too-large\"").contains("\"limitBytes\":" + MIB);
        String json = rawPost("/api/v1/clips/" + java.util.UUID.randomUUID(), "Authorization: Bearer "
                + Tokens.user("big-body") + "\r\n", 50L * MIB, 100);
        assertThat(json).startsWith("HTTP/1.1 413").contains("\"type\":\"payload-too-large\"");
    }

    @Test
    void aStreamedWebhookBodyIsCutOffPastOneMib() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] big = new byte[MIB + 4096];
        java.util.Arrays.fill(big, (byte) ' ');
        // A supplied stream has no length: the client sends it chunked, with no Content-Length to check up front.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(base + "api/v1/livekit/webhook"))
                .header("Content-Type", "application/webhook+json")
                .header("Authorization", FakeLiveKit.signWebhook("{}", FakeLiveKit.API_SECRET))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        HttpResponse<String> answer = client.send(chunked, HttpResponse.BodyHandlers.ofString());
        // The HTTP layer notices while reading and answers by itself: a bare 413, and the connection closed.
        assertThat(answer.statusCode()).isEqualTo(413);

        // Just under the limit is read and judged on its signature, as before.
        byte[] fits = new byte[MIB - 1];
        java.util.Arrays.fill(fits, (byte) ' ');
        HttpRequest small = HttpRequest.newBuilder(URI.create(base + "api/v1/livekit/webhook"))
                .header("Content-Type", "application/webhook+json").header("Authorization", "not-a-signature")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(fits))).build();
        assertThat(client.send(small, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void jsonEndpointsShareTheBodyLimit() {
        String title = "x".repeat(MIB);
        as("big-title").contentType("application/json").body("{\"title\":\"" + title + "\"}")
                .patch("/api/v1/clips/" + java.util.UUID.randomUUID())
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("payload-too-large"));
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(45).toMillis());
            long start = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read(); // nothing sent: the server should hang up, not wait forever
            } catch (SocketTimeoutException stillOpen) {
                read = -2;
            }
            assertThat(read).as("closed by the server (-1), not still open after 45 s (-2)").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(25),
                    Duration.ofSeconds(40));
        }
    }
}
