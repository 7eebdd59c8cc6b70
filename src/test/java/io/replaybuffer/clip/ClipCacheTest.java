package io.replaybuffer.clip;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ClipCache with a TTL far longer than any test (10 minutes), so a read can only be fresh because a change made it so:
 * reads are served from memory, a write on this replica is seen by the very next read (also while other requests
 * keep re-reading the clip), and a change announced by another replica over Redis is seen within moments.
 */
@QuarkusTest
@TestProfile(ClipCacheTest.LongTtl.class)
class ClipCacheTest {

    public static class LongTtl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("replay.clip-cache-ttl", "10m");
        }
    }

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    AgroalDataSource database;

    @Inject
    RedisDataSource redis;

    private Clips.ReadyClip clip;

    @BeforeEach
    void aReadyClip() throws Exception {
        clip = Clips.ready(fake, "cache", 1, Map.of("durationSeconds", 5, "title", "first"));
    }

    private String title() {
        return as(clip.owner().user()).get("/api/v1/clips/" + clip.id()).then().statusCode(200).extract()
                .path("title");
    }

    private List<String> listedTitles() {
        return as(clip.owner().user()).get("/api/v1/clips?limit=5").then().statusCode(200).extract()
                .path("items.title");
    }

    /** Changes the row behind the service's back, as another replica's write would. */
    private void retitleInDatabase(String title) throws Exception {
        try (Connection c = database.getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE clips SET title = ? WHERE id = ?")) {
            update.setString(1, title);
            update.setObject(2, UUID.fromString(clip.id()));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void readsComeFromMemoryUntilAnotherReplicaAnnouncesTheChange() throws Exception {
        assertThat(title()).isEqualTo("first");
        assertThat(listedTitles()).containsExactly("first");
        retitleInDatabase("renamed elsewhere");
        assertThat(title()).as("served from memory: the database was not asked again").isEqualTo("first");
        assertThat(listedTitles()).containsExactly("first");

        // What the other replica's ClipCache publishes after its commit.
        redis.pubsub(ClipCache.Change.class).publish(ClipCache.CHANNEL,
                new ClipCache.Change(UUID.fromString(clip.id()), clip.owner().user(), clip.owner().user()));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(title()).isEqualTo("renamed elsewhere");
            assertThat(listedTitles()).containsExactly("renamed elsewhere");
        });
    }

    @Test
    void aWriteIsSeenByTheNextReadWhileOthersKeepReading() throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(4);
        AtomicBoolean reading = new AtomicBoolean(true);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                running.add(readers.submit(() -> {
                    while (reading.get()) {
                        title();
                        listedTitles();
                    }
                    return null;
                }));
            }
            for (int round = 0; round < 40; round++) {
                String title = "round " + round;
                as(clip.owner().user()).contentType("application/json").body(Map.of("title", title))
                        .patch("/api/v1/clips/" + clip.id()).then().statusCode(200);
                assertThat(title()).as("read after the PATCH of round %d", round).isEqualTo(title);
                assertThat(listedTitles()).as("list after the PATCH of round %d", round).containsExactly(title);
            }
            reading.set(false);
            for (Future<?> reader : running) {
                reader.get();
            }
        } finally {
            reading.set(false);
            readers.shutdownNow();
        }
    }

    @Test
    void revokingAndDeletingTakeEffectAtOnce() {
        String url = as(clip.owner().user()).contentType("application/json").body(Map.of("expiresInSeconds", 600))
                .post("/api/v1/clips/" + clip.id() + "/links").then().statusCode(200).extract().path("url");
        RestAssured.given().get(url).then().statusCode(200);
        as(clip.owner().user()).delete("/api/v1/clips/" + clip.id() + "/links").then().statusCode(204);
        RestAssured.given().get(url).then().statusCode(410);

        as(clip.owner().user()).delete("/api/v1/clips/" + clip.id()).then().statusCode(204);
        as(clip.owner().user()).get("/api/v1/clips/" + clip.id()).then().statusCode(404);
        assertThat(listedTitles()).isEmpty();
    }
}
