package io.replaybuffer.testing;

import static io.replaybuffer.testing.Api.asGameServer;

import io.replaybuffer.testing.Api.Player;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Players in one LiveKit room, each recording, and a game server capturing them together. */
public final class Team {

    private Team() {
    }

    /** {@code count} players who joined one fresh room and publish a video and an audio track each. */
    public static List<Player> joining(FakeLiveKit fake, String prefix, int count) {
        String room = Api.uniqueUser("room-" + prefix);
        List<Player> players = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String user = Api.uniqueUser(prefix + i);
            Player player = new Player(user, room, "TR_v" + user, "TR_a" + user);
            fake.addParticipant(room, user, player.video(), player.audio());
            players.add(player);
        }
        return players;
    }

    /**
     * Starts {@code player}'s buffer. The first LiveKit call of a test run can miss the service's 3 s Twirp timeout
     * on a loaded machine (503 livekit-unavailable, nothing created): that one is asked again.
     */
    public static JsonPath start(Player player, int bufferSeconds) {
        JsonPath[] started = new JsonPath[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    var response = Api.as(player.user()).contentType("application/json")
                            .body(player.startBody(bufferSeconds)).when().post("/api/v1/replay-buffers");
                    if (response.statusCode() == 503 && "livekit-unavailable".equals(response.jsonPath().getString("type"))) {
                        return false;
                    }
                    started[0] = response.then().statusCode(201).extract().jsonPath();
                    return true;
                });
        return started[0];
    }

    /** Waits for a group to leave PROCESSING and returns it, read as {@code gameServer}. */
    public static JsonPath awaitSettled(String gameServer, String groupId) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !"PROCESSING".equals(group(gameServer, groupId).getString("status")));
        return group(gameServer, groupId);
    }

    public static JsonPath group(String gameServer, String groupId) {
        return asGameServer(gameServer).get("/api/v1/capture-groups/" + groupId).then().statusCode(200)
                .extract().jsonPath();
    }

    /** POSTs a team replay as {@code gameServer} and returns the 202 body. */
    public static JsonPath capture(String gameServer, String room, Map<String, Object> body) {
        return asGameServer(gameServer).contentType("application/json").body(body)
                .when().post("/api/v1/rooms/" + room + "/captures")
                .then().statusCode(202).extract().jsonPath();
    }
}
