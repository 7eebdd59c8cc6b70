package io.replaybuffer.capture.team;

import static io.replaybuffer.testing.Api.as;
import static io.replaybuffer.testing.Api.asGameServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.FrameCodes;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.MediaDecode;
import io.replaybuffer.testing.MediaProbe;
import io.replaybuffer.testing.SseClient;
import io.replaybuffer.testing.Team;
import io.replaybuffer.testing.Tokens;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Team replays on real footage: one window from several players' buffers, probed clip by clip. */
@QuarkusTest
class TeamReplayTest {

    /** One frame of the fake egress' 15 fps footage. */
    private static final double FRAME = 1.0 / 15;

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    EntityManager em;

    @TestHTTPResource("/api/v1/events")
    URI events;

    /**
     * Starts each player's buffer and has its egress write six 10 s segments, the newest ending {@code lags[i]}
     * before one common instant (encoding takes a while: "now" moves on between players).
     */
    private List<JsonPath> recording(List<Player> players, Duration... lags) throws Exception {
        List<JsonPath> buffers = new ArrayList<>();
        Instant end = Instant.now();
        for (int i = 0; i < players.size(); i++) {
            JsonPath buffer = Team.start(players.get(i), 600);
            fake.emitSegments(buffer.getString("egressId"), 6, end.minus(lags.length > i ? lags[i] : Duration.ZERO));
            buffers.add(players.get(i).buffer(buffer.getString("id")));
        }
        return buffers;
    }

    @Test
    void threePlayersWhoseSegmentsStartAtDifferentOffsetsGetTheSameWindowWithinAFrame() throws Exception {
        List<Player> players = Team.joining(fake, "offsets", 3);
        // 0, 3.3 and 6.7 s: segment boundaries fall at different instants in each buffer, between frames too.
        List<JsonPath> buffers = recording(players, Duration.ZERO, Duration.ofMillis(3_300), Duration.ofMillis(6_700));
        String server = newGameServer("offsets");
        String room = players.get(0).room();
        try (SseClient stream = new SseClient(events, Tokens.gameServer(server))) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(stream::connected);

            JsonPath group = Team.capture(server, room, Map.of("durationSeconds", 20, "title", "Ace round"));
            String groupId = group.getString("groupId");
            assertThat(group.getString("status")).isEqualTo("PROCESSING");
            assertThat(group.getList("skipped")).isEmpty();
            assertThat(group.getList("clips")).hasSize(3);
            Instant from = Instant.parse(group.getString("capturedFrom"));
            Instant to = Instant.parse(group.getString("capturedTo"));
            assertThat(Duration.between(from, to)).isEqualTo(Duration.ofSeconds(20));
            // The buffers' footage ends 0, 3.3 and 6.7 s ago: the latest end all of them reach is the third's.
            assertThat(to).isEqualTo(Instant.parse(buffers.get(2).getString("newestAt")));
            Set<String> identities = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                String prefix = "clips[" + i + "].";
                identities.add(group.getString(prefix + "participantIdentity"));
                assertThat(group.getString(prefix + "clip.ownerId")).isEqualTo(group.getString(prefix + "participantIdentity"));
                assertThat(group.getString(prefix + "clip.createdBy")).isEqualTo(server);
                assertThat(group.getString(prefix + "clip.groupId")).isEqualTo(groupId);
                assertThat(group.getString(prefix + "clip.title")).isEqualTo("Ace round");
                assertThat(group.getString(prefix + "clip.capturedFrom")).isEqualTo(from.toString());
                assertThat(group.getString(prefix + "clip.capturedTo")).isEqualTo(to.toString());
                assertThat(group.getBoolean(prefix + "clip.truncated")).isFalse();
            }
            assertThat(identities).containsExactlyInAnyOrderElementsOf(players.stream().map(Player::user).toList());

            JsonPath settled = Team.awaitSettled(server, groupId);
            assertThat(settled.getString("status")).isEqualTo("READY");
            assertThat(stream.await("capture-group.ready", groupId, Duration.ofSeconds(10)))
                    .as("capture-group.ready reaches the game server's event stream").isTrue();

            List<Double> durations = new ArrayList<>();
            List<Double> firstPictures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String owner = settled.getString("clips[" + i + "].participantIdentity");
                JsonPath buffer = buffers.get(players.stream().map(Player::user).toList().indexOf(owner));
                Path mp4 = Clips.download(owner, settled.getString("clips[" + i + "].clip.id"));
                MediaProbe probe = MediaProbe.of(mp4);
                assertThat(probe.videoStart()).isCloseTo(0.0, within(FRAME));
                assertThat(probe.videoEnd()).as("duration of %s's clip", owner).isCloseTo(20.0, within(FRAME));
                assertThat(MediaDecode.of(mp4).clean()).as("every frame of %s's clip decodes", owner).isTrue();
                durations.add(probe.videoEnd() - probe.videoStart());
                // The frame number painted on the first and last pictures, put on the buffer's wall clock: its
                // recording's frame 0 was shown at its oldest footage's start.
                FrameCodes codes = FrameCodes.of(mp4);
                Instant zero = Instant.parse(buffer.getString("oldestAt"));
                // The first picture shown lies within a frame of capturedFrom, on either side: a player shows the
                // frame at or after the edit list's start.
                double firstShown = codes.first() * FRAME - seconds(zero, from);
                assertThat(firstShown).as("%s's first picture, s after capturedFrom", owner)
                        .isCloseTo(0.0, within(FRAME + 0.001));
                double lastShown = codes.last() * FRAME - seconds(zero, to);
                assertThat(lastShown).as("%s's last picture, s after capturedTo", owner)
                        .isBetween(-FRAME - 0.001 - FRAME, 0.001);
                firstPictures.add(firstShown);
                assertThat(codes.shown()).isBetween(299, 301);
            }
            assertThat(durations.stream().mapToDouble(d -> d).max().orElseThrow()
                    - durations.stream().mapToDouble(d -> d).min().orElseThrow())
                    .as("the clips' durations agree within a frame").isLessThanOrEqualTo(FRAME);
            assertThat(firstPictures.stream().mapToDouble(d -> d).max().orElseThrow()
                    - firstPictures.stream().mapToDouble(d -> d).min().orElseThrow())
                    .as("the clips' first pictures were shown within a frame of each other").isLessThanOrEqualTo(FRAME + 0.001);
        }
    }

    @Test
    void aPostRollTeamReplayWaitsForEveryPlayersFootageAndCoversOneWindow() throws Exception {
        List<Player> players = Team.joining(fake, "post", 2);
        List<JsonPath> buffers = recording(players, Duration.ZERO, Duration.ofMillis(3_300));
        String server = newGameServer("post");

        JsonPath group = Team.capture(server, players.get(0).room(),
                Map.of("durationSeconds", 20, "afterSeconds", 10, "title", "What happens next"));
        Instant from = Instant.parse(group.getString("capturedFrom"));
        Instant to = Instant.parse(group.getString("capturedTo"));
        assertThat(Duration.between(from, to)).isEqualTo(Duration.ofSeconds(20));
        for (int i = 0; i < 2; i++) {
            assertThat(group.getString("clips[" + i + "].clip.status")).isEqualTo("PROCESSING");
            assertThat(group.getString("clips[" + i + "].clip.waitingUntil")).isEqualTo(to.toString());
            assertThat(group.getString("clips[" + i + "].clip.capturedFrom")).isEqualTo(from.toString());
        }
        assertThat(group.getString("status")).isEqualTo("PROCESSING");

        // The footage after the press arrives: three more segments in each buffer, continuing where each one was
        // (three, not two: encoding the first six took a while on a slow machine, and "now" moved on meanwhile).
        for (JsonPath buffer : buffers) {
            fake.emitSegments(buffer.getString("egressId"), 3);
        }
        JsonPath settled = Team.awaitSettled(server, group.getString("groupId"));
        assertThat(settled.getString("status")).isEqualTo("READY");
        for (int i = 0; i < 2; i++) {
            String owner = settled.getString("clips[" + i + "].participantIdentity");
            JsonPath clip = as(owner).get("/api/v1/clips/" + settled.getString("clips[" + i + "].clip.id")).jsonPath();
            assertThat(clip.getString("capturedFrom")).isEqualTo(from.toString());
            assertThat(clip.getString("capturedTo")).isEqualTo(to.toString());
            assertThat(clip.getBoolean("truncated")).isFalse();
            MediaProbe probe = MediaProbe.of(Clips.download(owner, clip.getString("id")));
            assertThat(probe.videoEnd() - probe.videoStart()).as("%s's clip", owner).isCloseTo(20.0, within(FRAME));
        }
    }

    private static double seconds(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e9;
    }

    private static String newGameServer(String prefix) {
        return io.replaybuffer.testing.Api.uniqueUser("game-server-" + prefix);
    }

    @Test
    void aPlayerOverQuotaOrWithoutABufferIsSkippedAndTheOthersStillGetTheirClips() throws Exception {
        List<Player> players = Team.joining(fake, "quota", 2);
        List<JsonPath> buffers = recording(players);
        Player full = players.get(1);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO user_quotas (user_id,"
                + " limit_bytes, updated_at) VALUES (:user, 1000, now())").setParameter("user", full.user()).executeUpdate());
        Instant oldest = Instant.parse(buffers.get(0).getString("oldestAt"));
        String server = newGameServer("quota");

        JsonPath group = Team.capture(server, players.get(0).room(), Map.of(
                "startAt", oldest.plusSeconds(20).toString(), "endAt", oldest.plusSeconds(30).toString(),
                "participants", List.of(players.get(0).user(), full.user(), "ghost", players.get(0).user())));
        assertThat(group.getList("clips")).hasSize(1);
        assertThat(group.getString("clips[0].participantIdentity")).isEqualTo(players.get(0).user());
        assertThat(group.getString("clips[0].clip.capturedFrom")).isEqualTo(oldest.plusSeconds(20).toString());
        Map<String, String> skipped = Map.of(full.user(), "quota-exceeded", "ghost", "no-active-buffer");
        assertThat(group.getList("skipped", Map.class)).hasSize(2).allSatisfy(s -> {
            assertThat(s.get("problem")).isEqualTo(skipped.get(s.get("participantIdentity")));
            assertThat((String) s.get("reason")).isNotBlank();
        });

        JsonPath settled = Team.awaitSettled(server, group.getString("groupId"));
        assertThat(settled.getString("status")).isEqualTo("READY");
        assertThat(settled.getList("skipped.problem")).containsExactlyInAnyOrder("quota-exceeded", "no-active-buffer");
        as(players.get(0).user()).get("/api/v1/quota").then().body("clipCount", equalTo(1));
        as(full.user()).get("/api/v1/quota").then().body("clipCount", equalTo(0)).body("usedBytes", equalTo(0));
        // The clip is in its owner's library, and listed for the game server that made it.
        as(players.get(0).user()).get("/api/v1/clips").then().body("items[0].id",
                equalTo(group.getString("clips[0].clip.id")));
        asGameServer(server).get("/api/v1/clips").then().body("items.id",
                org.hamcrest.Matchers.contains(group.getString("clips[0].clip.id")));
    }

    @Test
    void badRequestsAreClearProblemsAndAnEmptyTeamIs422WithReasons() throws Exception {
        List<Player> players = Team.joining(fake, "bad", 1);
        String room = players.get(0).room();
        String server = newGameServer("bad");
        asGameServer(server).contentType("application/json").body(Map.of("durationSeconds", 10))
                .when().post("/api/v1/rooms/" + room + "/captures")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("empty-team-replay")).body("skipped", org.hamcrest.Matchers.empty());
        Team.start(players.get(0), 600); // recording, but no footage yet
        asGameServer(server).contentType("application/json").body(Map.of("durationSeconds", 10))
                .when().post("/api/v1/rooms/" + room + "/captures")
                .then().statusCode(422).body("type", equalTo("empty-team-replay"))
                .body("skipped[0].participantIdentity", equalTo(players.get(0).user()))
                .body("skipped[0].problem", equalTo("nothing-to-capture"));
        asGameServer(server).contentType("application/json")
                .body(Map.of("durationSeconds", 10, "startAt", Instant.now().toString()))
                .when().post("/api/v1/rooms/" + room + "/captures")
                .then().statusCode(400).contentType("application/problem+json").body("type", equalTo("invalid-request"));
        asGameServer(server).contentType("application/json").body(Map.of("durationSeconds", 0.1))
                .when().post("/api/v1/rooms/" + room + "/captures")
                .then().statusCode(400).body("errors[0].field", equalTo("durationSeconds"));
        asGameServer(server).contentType("application/json").body(Map.of("durationSeconds", 10, "afterSeconds", 15))
                .when().post("/api/v1/rooms/" + room + "/captures")
                .then().statusCode(400).body("errors[0].field", equalTo("afterSeconds"));
        asGameServer(server).contentType("application/json").body(Map.of("durationSeconds", 100, "afterSeconds", 61))
                .when().post("/api/v1/rooms/" + room + "/captures")
                .then().statusCode(400).body("errors[0].field", equalTo("afterSeconds"));
        asGameServer(server).contentType("application/json").body(Map.of("durationSeconds", 10, "participants", List.of("")))
                .when().post("/api/v1/rooms/" + room + "/captures")
                .then().statusCode(400).body("type", equalTo("invalid-request"));
        as(players.get(0).user()).contentType("application/json").body(Map.of("durationSeconds", 10))
                .when().post("/api/v1/rooms/" + room + "/captures")
                .then().statusCode(403).contentType("application/problem+json").body("type", equalTo("forbidden"));
    }
}
