package io.replaybuffer.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.Faults;
import io.replaybuffer.testing.TcpProxy;
import io.replaybuffer.testing.Tokens;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL down (api.md, "Operations"): API calls answer 503 {@code database-unavailable} within 5 s instead of
 * waiting on the pool or on a dead socket, readiness goes DOWN, and both recover by themselves once the database is
 * back. The database is taken away by cutting or freezing the proxy in front of it, never by stopping it.
 */
@QuarkusTest
@TestProfile(Faults.class)
class DatabaseOutageTest {

    private static final Duration PROMISED = Duration.ofSeconds(5);

    TcpProxy database;

    @TestHTTPResource("/")
    URI base;

    /** Its own timeout, so that a service which hangs fails the test instead of stalling it. */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void databaseBack() {
        database.restore();
    }

    @Test
    void aDatabaseThatDiedGets503FastAndIsUsedAgainOnceBack() throws Exception {
        outage("cut", database::cut);
    }

    @Test
    void aDatabaseThatStopsAnsweringGets503FastAndIsUsedAgainOnceBack() throws Exception {
        outage("frozen", database::freeze);
    }

    private void outage(String kind, Runnable fault) throws Exception {
        String token = Tokens.user(Api.uniqueUser("db-down"));
        assertThat(get("/api/v1/clips", token).statusCode()).as("before the outage").isEqualTo(200);

        fault.run();
        for (int call = 1; call <= 2; call++) {
            long start = System.nanoTime();
            // A page not read before: the one just read is answered from ClipCache for a second, without the database.
            HttpResponse<String> clips = get("/api/v1/clips?limit=" + (10 + call), token);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("database %s: GET /api/v1/clips #%d answered %d in %d ms%n", kind, call,
                    clips.statusCode(), took.toMillis());
            assertThat(took).as("time to answer with the database " + kind).isLessThan(PROMISED);
            assertThat(clips.statusCode()).isEqualTo(503);
            assertThat(clips.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(clips.headers().firstValue("Retry-After")).isPresent();
            JsonPath problem = new JsonPath(clips.body());
            assertThat(problem.getString("type")).isEqualTo("database-unavailable");
            assertThat(problem.getInt("retryAfterSeconds")).isPositive();
            assertThat(clips.body()).doesNotContain("jdbc:", "SQL", "Exception");
        }

        long start = System.nanoTime();
        HttpResponse<String> ready = get("/q/health/ready", null);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("database %s: readiness answered %d in %d ms%n", kind, ready.statusCode(), took.toMillis());
        assertThat(took).isLessThan(PROMISED);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(new JsonPath(ready.body()).getString("checks.find { it.name == 'Database connections health check' }.status"))
                .isEqualTo("DOWN");

        database.restore();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(get("/api/v1/clips", token).statusCode()).isEqualTo(200);
            assertThat(get("/q/health/ready", null).statusCode()).isEqualTo(200);
        });
        System.out.printf("database %s: serving again %d ms after it came back%n", kind,
                Duration.ofNanos(System.nanoTime() - back).toMillis());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", Tokens.bearer(token));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
