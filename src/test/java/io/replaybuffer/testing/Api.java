package io.replaybuffer.testing;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Short-hands for calling the API as a user in tests. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification as(String userId) {
        return given().header("Authorization", Tokens.bearer(Tokens.user(userId)));
    }

    public static RequestSpecification asGameServer(String id) {
        return given().header("Authorization", Tokens.bearer(Tokens.gameServer(id)));
    }

    public static RequestSpecification asAdmin(String id) {
        return given().header("Authorization", Tokens.bearer(Tokens.admin(id)));
    }

    public static String uniqueUser(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A player in the fake LiveKit room who publishes a video and an audio track. */
    public record Player(String user, String room, String video, String audio) {

        public static Player joining(FakeLiveKit fake, String prefix) {
            String user = uniqueUser(prefix);
            Player player = new Player(user, "room-" + user, "TR_v" + user, "TR_a" + user);
            fake.addParticipant(player.room(), user, player.video(), player.audio());
            return player;
        }

        public Map<String, Object> startBody(int bufferSeconds) {
            return Map.of("roomName", room, "participantIdentity", user, "videoTrackId", video,
                    "audioTrackId", audio, "bufferSeconds", bufferSeconds);
        }

        /** Starts a buffer and returns its JSON (201 asserted). */
        public JsonPath start(int bufferSeconds) {
            return as(user).contentType("application/json").body(startBody(bufferSeconds))
                    .when().post("/api/v1/replay-buffers")
                    .then().statusCode(201).extract().jsonPath();
        }

        public JsonPath buffer(String id) {
            return as(user).when().get("/api/v1/replay-buffers/" + id).then().statusCode(200).extract().jsonPath();
        }
    }
}
