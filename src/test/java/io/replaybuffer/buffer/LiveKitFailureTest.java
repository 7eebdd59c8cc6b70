package io.replaybuffer.buffer;

import static io.replaybuffer.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.oneOf;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.platform.health.HealthGauges;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LiveKit down or slow: a clear 503, no buffer left STARTING, and the breaker stops hammering it. */
@QuarkusTest
class LiveKitFailureTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    HealthGauges gauges;

    @AfterEach
    void liveKitBack() {
        fake.down(false);
        fake.delay(Duration.ZERO);
        breakers.resetAll();
    }

    private static long liveRowsOf(String user) {
        return QuarkusTransaction.requiringNew().call(() -> ReplayBufferSession.count(
                "userId = ?1 and status in ?2", user, BufferStore.LIVE));
    }

    @Test
    void liveKitDownIsA503AndTheBreakerOpens() {
        Player p = Player.joining(fake, "down");
        fake.down(true);
        as(p.user()).contentType("application/json").body(p.startBody(60)).when().post("/api/v1/replay-buffers")
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("livekit-unavailable")).header("Retry-After", notNullValue())
                .body("retryAfterSeconds", equalTo(10));
        // The roster check failed before anything was written: no row at all.
        assertThat(liveRowsOf(p.user())).isZero();

        int before = fake.calls("GetParticipant");
        for (int i = 0; i < 3; i++) {
            as(p.user()).contentType("application/json").body(p.startBody(60)).when().post("/api/v1/replay-buffers")
                    .then().statusCode(503);
        }
        assertThat(breakers.currentState("livekit"))
                .isEqualTo(CircuitBreakerState.OPEN);
        assertThat(fake.calls("GetParticipant")).as("an open breaker answers without calling LiveKit")
                .isLessThanOrEqualTo(before + 3);

        fake.down(false);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> as(p.user()).contentType("application/json").body(p.startBody(60))
                        .post("/api/v1/replay-buffers").statusCode() == 201);
    }

    @Test
    void liveKitDownIsReportedAsADependencyAndLeavesTheReplicaReady() {
        Player p = Player.joining(fake, "down-health");
        fake.down(true);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            as(p.user()).contentType("application/json").body(p.startBody(60)).post("/api/v1/replay-buffers")
                    .then().statusCode(503);
            return breakers.currentState("livekit") == CircuitBreakerState.OPEN;
        });

        given().get("/q/health/group/dependencies").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'livekit' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'livekit' }.data.breaker", oneOf("open", "half_open"))
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"));
        // Captures, downloads and the library need no LiveKit: the replica stays in the load balancer.
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        gauges.check();
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("replay_buffer_dependency_up{dependency=\"livekit\"} 0.0"))
                .body(containsString("replay_buffer_dependency_up{dependency=\"redis\"} 1.0"));
    }

    @Test
    void egressFailingToStartLeavesAFailedBufferNotAStartingOne() {
        Player p = Player.joining(fake, "half");
        // The participant check passes; then LiveKit dies before the egress call.
        fake.delay(Duration.ZERO);
        var roster = fake.calls("GetParticipant");
        fake.down(false);
        fake.failStartsWith(503, "unavailable", "no response from servers");
        as(p.user()).contentType("application/json").body(p.startBody(60)).when().post("/api/v1/replay-buffers")
                .then().statusCode(503).body("type", equalTo("livekit-unavailable"));
        assertThat(fake.calls("GetParticipant")).isGreaterThan(roster);
        assertThat(liveRowsOf(p.user())).isZero();
        String status = QuarkusTransaction.requiringNew().call(() -> ReplayBufferSession.<ReplayBufferSession>find(
                "userId", p.user()).firstResult().status.name());
        assertThat(status).isEqualTo("FAILED");
        fake.failStartsWith(0, null, null);
    }

    @Test
    void aSlowLiveKitTimesOutWithA503() {
        Player p = Player.joining(fake, "slow");
        fake.delay(Duration.ofSeconds(10)); // longer than the 5 s test timeout
        long started = System.nanoTime();
        as(p.user()).contentType("application/json").body(p.startBody(60)).when().post("/api/v1/replay-buffers")
                .then().statusCode(503).body("detail", equalTo("LiveKit did not answer in time"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
}
