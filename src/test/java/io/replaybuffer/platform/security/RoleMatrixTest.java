package io.replaybuffer.platform.security;

import static io.replaybuffer.testing.Api.as;
import static io.replaybuffer.testing.Api.asAdmin;
import static io.replaybuffer.testing.Api.asGameServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.Team;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint a game server touches, called as the resource's owner, another user, a game server and an admin
 * (api.md, "Roles"): allowed, or refused with 404 when the resource is someone else's (ids can't be probed) and 403
 * only where the endpoint itself is for a role.
 */
@QuarkusTest
class RoleMatrixTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    /** The four callers: each builds a request as itself. */
    private record Callers(Function<Void, RequestSpecification> owner, Function<Void, RequestSpecification> other,
            Function<Void, RequestSpecification> gameServer, Function<Void, RequestSpecification> admin) {
    }

    private static void expect(String what, Function<RequestSpecification, Response> call, Callers callers,
            int owner, int other, int gameServer, int admin) {
        assertThat(call.apply(callers.owner().apply(null)).statusCode()).as(what + " as the owner").isEqualTo(owner);
        Response asOther = call.apply(callers.other().apply(null));
        assertThat(asOther.statusCode()).as(what + " as another user").isEqualTo(other);
        Response asServer = call.apply(callers.gameServer().apply(null));
        assertThat(asServer.statusCode()).as(what + " as a game server").isEqualTo(gameServer);
        assertThat(call.apply(callers.admin().apply(null)).statusCode()).as(what + " as an admin").isEqualTo(admin);
        for (Response refused : List.of(asOther, asServer)) {
            if (refused.statusCode() >= 400) {
                assertThat(refused.contentType()).as(what + " refusal").startsWith("application/problem+json");
            }
        }
    }

    @Test
    void buffersCapturesClipsAndTeamReplaysAnswerEachRoleAsTheContractSays() throws Exception {
        Player p = Player.joining(fake, "matrix");
        String other = Api.uniqueUser("other");
        String server = Api.uniqueUser("game-server");
        String admin = Api.uniqueUser("ops");
        Callers callers = new Callers(v -> as(p.user()), v -> as(other), v -> asGameServer(server), v -> asAdmin(admin));
        JsonPath buffer = Team.start(p, 600);
        String id = buffer.getString("id");
        fake.emitSegments(buffer.getString("egressId"), 3);
        String buffers = "/api/v1/replay-buffers/";

        // Buffers
        expect("list buffers", r -> r.get("/api/v1/replay-buffers?roomName=" + p.room()), callers, 403, 403, 200, 200);
        expect("read a buffer", r -> r.get(buffers + id), callers, 200, 404, 200, 200);
        expect("preview a buffer's footage", r -> r.get(buffers + id + "/preview.m3u8"), callers, 200, 404, 404, 200);
        Map<String, Object> last = Map.of("durationSeconds", 3);
        expect("capture", r -> r.contentType("application/json").body(last).post(buffers + id + "/captures"),
                callers, 202, 404, 202, 202);
        Map<String, Object> moment = Map.of("label", "Clutch");
        expect("mark a moment", r -> r.contentType("application/json").body(moment).post(buffers + id + "/markers"),
                callers, 201, 404, 201, 201);
        expect("list the markers", r -> r.get(buffers + id + "/markers"), callers, 200, 404, 200, 200);
        // Starting records the caller's own tracks (the owner did, above; an admin may for anyone): nobody else's.
        for (RequestSpecification stranger : List.of(as(other), asGameServer(server))) {
            stranger.contentType("application/json").body(p.startBody(600)).post("/api/v1/replay-buffers")
                    .then().statusCode(403).body("type", equalTo("not-your-participant"));
        }

        // A clip the game server captured for the player: the player's, PRIVATE.
        JsonPath clip = asGameServer(server).contentType("application/json").body(Map.of("durationSeconds", 5))
                .post(buffers + id + "/captures").then().statusCode(202).extract().jsonPath();
        String clipId = clip.getString("id");
        assertThat(clip.getString("ownerId")).isEqualTo(p.user());
        assertThat(clip.getString("createdBy")).isEqualTo(server);
        assertThat(Clips.awaitDone(p.user(), clipId).getString("status")).isEqualTo("READY");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                as(p.user()).get("/api/v1/clips/" + clipId).jsonPath().getString("thumbnailUrl") != null);
        String clips = "/api/v1/clips/";
        expect("read the clip", r -> r.get(clips + clipId), callers, 200, 404, 200, 200);
        expect("download the private clip", r -> r.get(clips + clipId + "/download"), callers, 200, 404, 404, 200);
        expect("its thumbnail", r -> r.get(clips + clipId + "/thumbnail.jpg"), callers, 200, 404, 404, 200);
        expect("share it", r -> r.contentType("application/json").body(Map.of("expiresInSeconds", 60))
                .post(clips + clipId + "/links"), callers, 200, 404, 404, 200);
        expect("revoke its links", r -> r.delete(clips + clipId + "/links"), callers, 204, 404, 404, 204);
        expect("rename it", r -> r.contentType("application/json").body(Map.of("title", "Mine"))
                .patch(clips + clipId), callers, 200, 404, 404, 200);
        assertThat(as(p.user()).get("/api/v1/clips").jsonPath().getList("items.id")).contains(clipId);
        assertThat(asGameServer(server).get("/api/v1/clips").jsonPath().getList("items.id"))
                .as("a game server lists the clips it created").contains(clipId);
        assertThat(as(other).get("/api/v1/clips").jsonPath().getList("items.id")).doesNotContain(clipId);
        assertThat(asGameServer(Api.uniqueUser("game-server")).get(clips + clipId).statusCode())
                .as("another game server").isEqualTo(404);

        // Team replays: the endpoint is the game server's (and admins'); a group is its creator's (and admins').
        Map<String, Object> team = Map.of("durationSeconds", 2);
        expect("team replay", r -> r.contentType("application/json").body(team)
                .post("/api/v1/rooms/" + p.room() + "/captures"), callers, 403, 403, 202, 202);
        String groupId = Team.capture(server, p.room(), team).getString("groupId");
        expect("read the group", r -> r.get("/api/v1/capture-groups/" + groupId), callers, 404, 404, 200, 200);
        asGameServer(Api.uniqueUser("game-server")).get("/api/v1/capture-groups/" + groupId).then().statusCode(404);
        Team.awaitSettled(server, groupId);

        // Deleting: the owner's (or an admin's); to the others it does not exist. The owner deletes last.
        as(other).delete(clips + clipId).then().statusCode(404);
        asGameServer(server).delete(clips + clipId).then().statusCode(404);
        as(p.user()).delete(clips + clipId).then().statusCode(204);
        asAdmin(admin).delete(clips + clipId).then().statusCode(404);
    }

    @Test
    void listingFiltersByUserRoomAndParticipant() {
        List<Player> room = Team.joining(fake, "listing", 2);
        String first = Team.start(room.get(0), 600).getString("id");
        String second = Team.start(room.get(1), 600).getString("id");
        String server = Api.uniqueUser("game-server");
        asGameServer(server).get("/api/v1/replay-buffers?roomName=" + room.get(0).room()).then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.containsInAnyOrder(first, second));
        asGameServer(server).get("/api/v1/replay-buffers?userId=" + room.get(1).user()).then()
                .body("items.id", org.hamcrest.Matchers.contains(second));
        asGameServer(server).get("/api/v1/replay-buffers?roomName=" + room.get(0).room() + "&participantIdentity="
                + room.get(0).user()).then().body("items.id", org.hamcrest.Matchers.contains(first))
                .body("items[0].status", org.hamcrest.Matchers.oneOf("STARTING", "ACTIVE"));
        as(room.get(0).user()).delete("/api/v1/replay-buffers/" + first).then().statusCode(200);
        asGameServer(server).get("/api/v1/replay-buffers?roomName=" + room.get(0).room()).then()
                .body("items.id", org.hamcrest.Matchers.contains(second));
        asGameServer(server).get("/api/v1/replay-buffers?limit=0").then().statusCode(400)
                .body("type", equalTo("invalid-request"));
        as(room.get(0).user()).get("/api/v1/replay-buffers?limit=0").then().statusCode(403)
                .body("type", equalTo("forbidden"));
    }

    @Test
    void aGameServersCapturesSpendItsOwnPermitsNotThePlayers() throws Exception {
        Player p = Player.joining(fake, "permits-gs");
        JsonPath buffer = Team.start(p, 600);
        fake.emitSegments(buffer.getString("egressId"), 1);
        String server = Api.uniqueUser("game-server");
        for (int i = 0; i < 4; i++) { // more than the player's 3 a minute
            asGameServer(server).contentType("application/json").body(Map.of("durationSeconds", 2))
                    .post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures").then().statusCode(202);
        }
        for (int i = 0; i < 3; i++) {
            Clips.capture(p.user(), buffer.getString("id"), Map.of("durationSeconds", 2));
        }
        as(p.user()).contentType("application/json").body(Map.of("durationSeconds", 2))
                .post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures").then().statusCode(429)
                .body("limit", equalTo("capture"));
    }
}
