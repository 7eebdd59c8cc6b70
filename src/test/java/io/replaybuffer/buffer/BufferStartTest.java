package io.replaybuffer.buffer;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import livekit.LivekitEgress;
import org.junit.jupiter.api.Test;

/** Starting and stopping buffers against the fake LiveKit, and every refusal that must start no egress. */
@QuarkusTest
class BufferStartTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Test
    void startsTrackCompositeEgressIntoRollingHlsSegments() throws Exception {
        Player alice = Player.joining(fake, "alice");
        JsonPath buffer = alice.start(120);
        assertThat(buffer.getString("status")).isEqualTo("STARTING");
        assertThat(buffer.getString("egressId")).startsWith("EG_");
        assertThat(buffer.getInt("bufferSeconds")).isEqualTo(120);

        LivekitEgress.TrackCompositeEgressRequest sent = fake.startRequests().stream()
                .filter(r -> r.getRoomName().equals(alice.room())).findFirst().orElseThrow();
        assertThat(sent.getVideoTrackId()).isEqualTo(alice.video());
        assertThat(sent.getAudioTrackId()).isEqualTo(alice.audio());
        assertThat(sent.getPreset()).isEqualTo(LivekitEgress.EncodingOptionsPreset.H264_1080P_30);
        LivekitEgress.SegmentedFileOutput output = sent.hasSegments() ? sent.getSegments() : sent.getSegmentOutputs(0);
        assertThat(output.getProtocol()).isEqualTo(LivekitEgress.SegmentedFileProtocol.HLS_PROTOCOL);
        assertThat(output.getSegmentDuration()).isEqualTo(10);
        assertThat(output.getFilenameSuffix()).isEqualTo(LivekitEgress.SegmentedFileSuffix.INDEX);
        assertThat(output.getFilenamePrefix()).isEqualTo(
                Path.of("target/test-data/segments").toAbsolutePath() + "/" + buffer.getString("id") + "/seg-r{retry}");
        assertThat(output.getPlaylistName()).isEqualTo("playlist-r{retry}.m3u8");
        assertThat(output.getLivePlaylistName()).isEqualTo("live-r{retry}.m3u8");

        String egressId = buffer.getString("egressId");
        fake.setStatus(egressId, LivekitEgress.EgressStatus.EGRESS_ACTIVE, null);
        assertThat(fake.sendWebhook(egressId, "egress_updated")).isEqualTo(204);
        assertThat(alice.buffer(buffer.getString("id")).getString("status")).isEqualTo("ACTIVE");
        as(alice.user()).when().get("/api/v1/replay-buffers/current")
                .then().statusCode(200).body("id", equalTo(buffer.getString("id")));

        fake.emitSegments(egressId, 3);
        assertThat(alice.buffer(buffer.getString("id")).getDouble("availableSeconds")).isEqualTo(30.0);
        fake.emitSegments(egressId, 2);
        assertThat(alice.buffer(buffer.getString("id")).getDouble("availableSeconds")).isEqualTo(50.0);

        int stops = fake.calls("StopEgress");
        JsonPath stopped = as(alice.user()).when().delete("/api/v1/replay-buffers/" + buffer.getString("id"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(fake.calls("StopEgress")).isEqualTo(stops + 1);
        assertThat(stopped.getString("status")).isEqualTo("STOPPING");
        fake.setStatus(egressId, LivekitEgress.EgressStatus.EGRESS_COMPLETE, null);
        fake.sendWebhook(egressId, "egress_ended");
        JsonPath ended = alice.buffer(buffer.getString("id"));
        assertThat(ended.getString("status")).isEqualTo("STOPPED");
        assertThat(ended.getString("endedAt")).isNotNull();
        assertThat(ended.getDouble("availableSeconds")).as("still capturable after stop").isEqualTo(50.0);
        as(alice.user()).when().get("/api/v1/replay-buffers/current").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void startingAgainStopsTheOldBuffer() {
        Player bob = Player.joining(fake, "bob");
        String first = bob.start(60).getString("id");
        String second = bob.start(60).getString("id");
        assertThat(second).isNotEqualTo(first);
        assertThat(bob.buffer(first).getString("status")).isIn("STOPPING", "STOPPED");
        as(bob.user()).when().get("/api/v1/replay-buffers/current").then().body("id", equalTo(second));
    }

    @Test
    void refusesToRecordSomeoneElsesParticipant() {
        Player victim = Player.joining(fake, "victim");
        int starts = fake.calls("StartTrackCompositeEgress");
        as("mallory").contentType("application/json").body(victim.startBody(60))
                .when().post("/api/v1/replay-buffers")
                .then().statusCode(403).contentType("application/problem+json").body("type", equalTo("not-your-participant"));
        assertThat(fake.calls("StartTrackCompositeEgress")).isEqualTo(starts);
    }

    @Test
    void refusesTracksTheParticipantDoesNotPublish() {
        Player carol = Player.joining(fake, "carol");
        Player dave = Player.joining(fake, "dave");
        int starts = fake.calls("StartTrackCompositeEgress");
        Map<String, Object> othersTrack = new HashMap<>(carol.startBody(60));
        othersTrack.put("videoTrackId", dave.video());
        as(carol.user()).contentType("application/json").body(othersTrack).when().post("/api/v1/replay-buffers")
                .then().statusCode(404).body("type", equalTo("track-not-found")).body("field", equalTo("videoTrackId"));
        Map<String, Object> videoAsAudio = new HashMap<>(carol.startBody(60));
        videoAsAudio.put("audioTrackId", carol.video());
        as(carol.user()).contentType("application/json").body(videoAsAudio).when().post("/api/v1/replay-buffers")
                .then().statusCode(404).body("field", equalTo("audioTrackId"));
        Map<String, Object> elsewhere = new HashMap<>(carol.startBody(60));
        elsewhere.put("roomName", "another-room");
        as(carol.user()).contentType("application/json").body(elsewhere).when().post("/api/v1/replay-buffers")
                .then().statusCode(404).body("type", equalTo("participant-not-found"));
        assertThat(fake.calls("StartTrackCompositeEgress")).isEqualTo(starts);
    }

    @Test
    void bufferLengthMustBeBetweenOneSegmentAndTheMaximum() {
        Player erin = Player.joining(fake, "erin");
        for (int seconds : new int[] {5, 3601}) {
            as(erin.user()).contentType("application/json").body(erin.startBody(seconds))
                    .when().post("/api/v1/replay-buffers")
                    .then().statusCode(400).body("type", equalTo("invalid-request"))
                    .body("errors[0].field", equalTo("bufferSeconds"));
        }
        Map<String, Object> missing = new HashMap<>(erin.startBody(60));
        missing.remove("videoTrackId");
        as(erin.user()).contentType("application/json").body(missing).when().post("/api/v1/replay-buffers")
                .then().statusCode(400).body("errors[0].field", equalTo("videoTrackId"));
    }

    @Test
    void anotherUsersBufferIsNotFound() {
        Player frank = Player.joining(fake, "frank");
        String id = frank.start(60).getString("id");
        as("grace").when().get("/api/v1/replay-buffers/" + id).then().statusCode(404).body("type", equalTo("not-found"));
        as("grace").when().delete("/api/v1/replay-buffers/" + id).then().statusCode(404);
        as("grace").when().get("/api/v1/replay-buffers/" + id + "/preview.m3u8").then().statusCode(404);
        as("grace").when().get("/api/v1/replay-buffers/not-a-uuid").then().statusCode(404);
        io.restassured.RestAssured.given().header("Authorization",
                io.replaybuffer.testing.Tokens.bearer(io.replaybuffer.testing.Tokens.admin("ops")))
                .when().get("/api/v1/replay-buffers/" + id).then().statusCode(200);
    }
}
