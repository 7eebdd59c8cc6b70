package io.replaybuffer.platform.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.concurrent.EventExecutor;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * While the event loops stay later than REPLAY_MAX_EVENT_LOOP_DELAY through whole periods, fewer API requests are let
 * in at once than REPLAY_MAX_IN_FLIGHT (3 here), down to {@link AdmissionLimit#FLOOR}; once they keep time, the limit
 * grows back, and the requests let in per period are limited until then. Pauses now and then do not count. The lateness is real: the running service's event loops are kept busy.
 */
@QuarkusTest
@TestProfile(EventLoopDelayTest.ThreeInFlight.class)
class EventLoopDelayTest {

    public static class ThreeInFlight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Profiled, to win over application.properties' own %test value (a profiled name is looked up first).
            return Map.of("replay.max-in-flight", "3", "%test.replay.max-event-loop-delay", "25ms");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    Vertx vertx;

    @Test
    void lateEventLoopsLetFewerRequestsInUntilTheyKeepTimeAgain() throws Exception {
        Player player = Player.joining(fake, "late");
        // Every event loop kept behind: busy in 150 ms stretches, back to back, so each probe waits out most of one
        // (a loop that is busy now and then is not behind: see the pauses below, which leave the limit alone).
        AtomicBoolean late = new AtomicBoolean(true);
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            loop.execute(new Runnable() {
                @Override
                public void run() {
                    pause(150);
                    if (late.get()) {
                        // Scheduled, not queued: between stretches the loop still reads and runs its timers, as an
                        // event loop short of CPU does, and the next stretch comes before the probe it re-arms.
                        loop.schedule(this, 1, TimeUnit.MILLISECONDS);
                    }
                }
            });
        }
        List<Socket> held = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> limitNow() == AdmissionLimit.FLOOR);
            assertThat(gauge("replay_buffer_http_admitted_per_second_limit"))
                    .as("a budget per period too, at its floor: few requests arrive").isEqualTo(PeriodBudget.FLOOR * 10.0);
            for (int i = 0; i < AdmissionLimit.FLOOR; i++) {
                held.add(LoadShedderTest.holdRequest(base, player.user()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> LoadShedderTest.startBuffer(player).statusCode() == 503);
            assertThat(limitNow()).as("below REPLAY_MAX_IN_FLIGHT (3) while the loops are late")
                    .isEqualTo(AdmissionLimit.FLOOR);
        } finally {
            late.set(false);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> limitNow() == 3);
        assertThat(gauge("replay_buffer_http_admitted_per_second_limit")).as("lifted").isInfinite();
        // Two held of three: the limit that grew back lets a third in.
        await().atMost(Duration.ofSeconds(10)).until(() -> LoadShedderTest.startBuffer(player).statusCode() == 201);
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void pausesNowAndThenLeaveTheLimitAlone() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> limitNow() == 3); // whatever the start-up did
        // Each loop stalls for 60 ms every 200 ms, as a collection or a burst would: some probes are very late,
        // but no loop is behind for a whole period.
        for (int round = 0; round < 15; round++) {
            for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
                loop.execute(() -> pause(60));
            }
            Thread.sleep(200);
            assertThat(limitNow()).as("round %d", round).isEqualTo(3);
        }
    }

    private static int limitNow() {
        return (int) gauge("replay_buffer_http_in_flight_limit");
    }

    private static double gauge(String name) {
        String metrics = given().get("/q/metrics").asString();
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.]+|\\+Inf)").matcher(metrics);
        return !m.find() ? -1 : m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
