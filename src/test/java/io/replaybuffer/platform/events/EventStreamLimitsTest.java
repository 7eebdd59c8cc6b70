package io.replaybuffer.platform.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.SseClient;
import io.replaybuffer.testing.Tokens;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Event streams are capped per user across replicas (REPLAY_MAX_STREAMS_PER_USER, 5 by default) and per replica
 * (REPLAY_MAX_STREAMS, 8 here so a test can reach it), and end with their token.
 */
@QuarkusTest
@TestProfile(EventStreamLimitsTest.FewStreams.class)
class EventStreamLimitsTest {

    public static class FewStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("replay.max-streams", "8");
        }
    }

    @TestHTTPResource("/api/v1/events")
    URI events;

    @Inject
    RedisDataSource redis;

    @Inject
    EventHub hub;

    @Inject
    StreamSlots slots;

    /** Each test starts with no stream open here: the last test's clients may take a moment to be noticed gone. */
    @BeforeEach
    void noStreamsOpen() {
        await().atMost(Duration.ofSeconds(10)).until(() -> slots.openStreams() == 0);
    }

    private List<SseClient> open(String user, int count) {
        List<SseClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(new SseClient(events, Tokens.user(user)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream().allMatch(SseClient::connected));
        return clients;
    }

    private static void closeAll(List<SseClient> clients) {
        clients.forEach(SseClient::close);
    }

    private static void refused(String user, String detailWord) {
        given().header("Authorization", Tokens.bearer(Tokens.user(user))).accept("text/event-stream")
                .get("/api/v1/events")
                .then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("too-many-streams")).body("retryAfterSeconds", equalTo(15))
                .header("Retry-After", "15").body("detail", org.hamcrest.Matchers.containsString(detailWord));
    }

    @Test
    void aSixthStreamOfOneUserIsRefusedUntilOneCloses() {
        String user = Api.uniqueUser("tabs");
        List<SseClient> five = open(user, 5);
        try {
            refused(user, "You already have 5");
            assertThat(hub.subscribers(user)).isEqualTo(5);
            five.get(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers(user) == 4);
            try (SseClient again = new SseClient(events, Tokens.user(user))) {
                await().atMost(Duration.ofSeconds(10)).until(again::connected);
            }
        } finally {
            closeAll(five);
        }
    }

    @Test
    void theReplicaServesAtMostItsTotal() {
        List<SseClient> a = open(Api.uniqueUser("a"), 5);
        List<SseClient> b = open(Api.uniqueUser("b"), 3);
        try {
            refused(Api.uniqueUser("c"), "This server");
        } finally {
            closeAll(a);
            closeAll(b);
        }
        String later = Api.uniqueUser("later");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (SseClient one = new SseClient(events, Tokens.user(later))) {
                await().atMost(Duration.ofSeconds(2)).until(one::connected);
                return true;
            }
        });
    }

    @Test
    void streamsOnOtherReplicasCountUntilTheirLeasesLapse() {
        String user = Api.uniqueUser("elsewhere");
        String key = RedisStreamLeases.key(user);
        long future = Instant.now().plusSeconds(60).toEpochMilli();
        for (int i = 0; i < 5; i++) { // what another replica's five open streams leave in Redis
            redis.execute("ZADD", key, Long.toString(future), "replica-2-stream-" + i);
        }
        refused(user, "You already have 5");

        redis.execute("DEL", key);
        long past = Instant.now().minusSeconds(1).toEpochMilli();
        for (int i = 0; i < 5; i++) { // that replica died: its leases were not renewed
            redis.execute("ZADD", key, Long.toString(past), "replica-2-stream-" + i);
        }
        try (SseClient here = new SseClient(events, Tokens.user(user))) {
            await().atMost(Duration.ofSeconds(10)).until(here::connected);
            assertThat(redis.execute("ZCARD", key).toInteger()).as("lapsed leases dropped, ours taken").isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.execute("ZCARD", key).toInteger() == 0);
    }

    @Test
    void aStreamEndsWhenItsTokenExpires() {
        String user = Api.uniqueUser("expiring");
        String shortLived = Jwt.subject(user).upn(user).groups(Set.of("user"))
                .expiresAt(Instant.now().plusSeconds(6)).sign();
        try (SseClient client = new SseClient(events, shortLived);
                SseClient lasting = new SseClient(events, Tokens.user(user))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.connected() && lasting.connected());
            await().atMost(Duration.ofSeconds(15)).until(client::ended);
            assertThat(lasting.ended()).as("a stream with a valid token stays open").isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscribers(user) == 1);
        }
    }
}
