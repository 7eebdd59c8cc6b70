package io.replaybuffer.platform.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With REPLAY_MAX_IN_FLIGHT (2 here, kept fixed) requests in progress, the next API request is refused at once with 503
 * service-overloaded and Retry-After, and nothing of it reaches the database; health, metrics, downloads and event
 * streams are still served; once the requests in progress end, requests are let in again.
 */
@QuarkusTest
@TestProfile(LoadShedderTest.TwoInFlight.class)
class LoadShedderTest {

    public static class TwoInFlight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("replay.max-in-flight", "2"); // and the limit fixed, as in every %test run
        }
    }

    @TestHTTPResource("/")
    URI base;

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    AgroalDataSource database;


    @Test
    void overloadedReplicaShedsBeforeTheDatabaseAndRecovers() throws Exception {
        Player player = Player.joining(fake, "shed");
        List<Socket> held = new ArrayList<>();
        try {
            // Two requests in progress: their headers are in, their declared bodies never come.
            for (int i = 0; i < 2; i++) {
                held.add(holdRequest(base, player.user()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> startBuffer(player).statusCode() == 503);

            Response shed = startBuffer(player);
            shed.then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", "1")
                    .body("type", equalTo("service-overloaded"))
                    .body("instance", equalTo("/api/v1/replay-buffers"))
                    .body("retryAfterSeconds", equalTo(1));
            assertThat(buffersOf(player.user())).as("a refused request never reaches the database").isZero();
            Api.as(player.user()).get("/api/v1/clips").then().statusCode(503);

            // Still served: health, metrics (which count the refusals), downloads by link.
            given().get("/q/health/ready").then().statusCode(200);
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("replay_buffer_http_shed_total"))
                    .body(containsString("replay_buffer_http_in_flight 2.0"));
            given().queryParam("expires", 4102444800L).queryParam("signature", "not-a-signature")
                    .get("/api/v1/clips/" + UUID.randomUUID() + "/download")
                    .then().statusCode(404).body("type", equalTo("not-found"));
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        // The dropped connections give their places back; the same request is now served.
        await().atMost(Duration.ofSeconds(10)).until(() -> startBuffer(player).statusCode() != 503);
        assertThat(buffersOf(player.user())).as("the request let in did its work").isEqualTo(1);
    }

    static Response startBuffer(Player player) {
        return Api.as(player.user()).contentType("application/json").body(player.startBody(120))
                .post("/api/v1/replay-buffers");
    }

    /** Sends a POST's headers and declares a body it never sends: the request stays in progress. */
    static Socket holdRequest(URI base, String user) throws Exception {
        Socket socket = new Socket(base.getHost(), base.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/replay-buffers HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + io.replaybuffer.testing.Tokens.user(user) + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private long buffersOf(String user) throws Exception {
        try (Connection db = database.getConnection();
                PreparedStatement count = db.prepareStatement(
                        "SELECT COUNT(*) FROM replay_buffer_sessions WHERE user_id = ?")) {
            count.setString(1, user);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
