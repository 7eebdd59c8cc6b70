package io.replaybuffer.marker;

import static io.replaybuffer.testing.Api.as;
import static io.replaybuffer.testing.Api.asAdmin;
import static io.replaybuffer.testing.Api.asGameServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Markers (api.md): who may mark (the owner, game servers, admins; anyone else 404), the contract's validation as
 * problem+json that uses no permit, REPLAY_MARKER_RATE, the listing of the footage still in the buffer, and the
 * sweep taking markers with their footage.
 */
@QuarkusTest
class MarkerTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    MarkerService markers;

    private static String path(String bufferId) {
        return "/api/v1/replay-buffers/" + bufferId + "/markers";
    }

    private static JsonPath mark(RequestSpecification as, String bufferId, Map<String, Object> body) {
        return as.contentType("application/json").body(body).post(path(bufferId)).then().statusCode(201)
                .contentType("application/json").extract().jsonPath();
    }

    @Test
    void theOwnerGameServersAndAdminsMarkAndListOthersGet404() throws Exception {
        Player p = Player.joining(fake, "marks");
        JsonPath buffer = p.start(600);
        String id = buffer.getString("id");
        fake.emitSegments(buffer.getString("egressId"), 3);
        Instant oldest = Instant.parse(p.buffer(id).getString("oldestAt"));

        Instant before = Instant.now();
        JsonPath own = mark(as(p.user()), id, Map.of("label", "First blood", "kind", "kill"));
        assertThat(own.getString("id")).isNotBlank();
        assertThat(Instant.parse(own.getString("at"))).as("at defaults to now").isBetween(before, Instant.now());
        assertThat(own.getString("label")).isEqualTo("First blood");
        assertThat(own.getString("kind")).isEqualTo("kill");
        assertThat(own.getString("createdBy")).isEqualTo(p.user());

        JsonPath byServer = mark(asGameServer("game-backend"), id, Map.of("label", "Boss phase 2",
                "at", oldest.plusSeconds(5).toString()));
        assertThat(byServer.getString("createdBy")).isEqualTo("game-backend");
        assertThat(byServer.getString("kind")).isNull();
        mark(asAdmin("ops"), id, Map.of("label", "Checked by ops", "at", Instant.now().plusSeconds(4).toString()));

        as("someone-else").contentType("application/json").body(Map.of("label", "mine now"))
                .post(path(id)).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("not-found"));
        as("someone-else").get(path(id)).then().statusCode(404).contentType("application/problem+json");

        List<String> labels = as(p.user()).get(path(id)).then().statusCode(200).extract().jsonPath()
                .getList("items.label");
        assertThat(labels).as("oldest first").containsExactly("Boss phase 2", "First blood", "Checked by ops");
        assertThat(asGameServer("game-backend").get(path(id)).then().statusCode(200).extract().jsonPath()
                .getList("items")).hasSize(3);
    }

    @Test
    void badMarkersAreClearProblemsAndUseNoPermit() throws Exception {
        Player p = Player.joining(fake, "badmarks");
        JsonPath buffer = p.start(600);
        String id = buffer.getString("id");
        fake.emitSegments(buffer.getString("egressId"), 2);
        Instant oldest = Instant.parse(p.buffer(id).getString("oldestAt"));
        for (int round = 0; round < 4; round++) { // 32 refusals: more than the 30 a minute the limit allows
            Map<String, Map<String, Object>> bad = new HashMap<>(); // the field at fault, padded to stay unique
            bad.put("label", Map.of("kind", "kill"));
            bad.put("label ", Map.of("label", "   "));
            bad.put("label  ", Map.of("label", "x".repeat(101)));
            bad.put("label   ", Map.of("label", "line\nbreak"));
            bad.put("kind", Map.of("label", "ok", "kind", "Head Shot"));
            bad.put("kind ", Map.of("label", "ok", "kind", "k".repeat(33)));
            bad.put("at", Map.of("label", "ok", "at", Instant.now().plusSeconds(10).toString()));
            bad.put("at ", Map.of("label", "ok", "at", oldest.minusSeconds(1).toString()));
            for (Map.Entry<String, Map<String, Object>> entry : bad.entrySet()) {
                as(p.user()).contentType("application/json").body(entry.getValue()).post(path(id))
                        .then().statusCode(400).contentType("application/problem+json")
                        .body("type", equalTo("invalid-request"))
                        .body("errors[0].field", equalTo(entry.getKey().strip()));
            }
        }
        // 100 characters that are 200 UTF-16 units: counted as PostgreSQL counts them.
        mark(as(p.user()), id, Map.of("label", "🎯".repeat(100), "kind", "a.b_c-9"));
        for (int i = 1; i < 30; i++) {
            mark(asGameServer("game-backend"), id, Map.of("label", "event " + i));
        }
        as(p.user()).contentType("application/json").body(Map.of("label", "one too many")).post(path(id))
                .then().statusCode(429).contentType("application/problem+json").body("type", equalTo("rate-limited"))
                .body("limit", equalTo("marker")).header("Retry-After", notNullValue());
    }

    @Test
    void markersGoWithTheirFootage() throws Exception {
        Player p = Player.joining(fake, "sweptmarks");
        JsonPath buffer = p.start(60);
        String id = buffer.getString("id");
        fake.emitSegments(buffer.getString("egressId"), 3);
        Instant oldest = Instant.parse(p.buffer(id).getString("oldestAt"));
        mark(as(p.user()), id, Map.of("label", "early", "at", oldest.plusSeconds(1).toString()));
        mark(as(p.user()), id, Map.of("label", "late", "at", Instant.now().plusSeconds(5).toString()));

        // 70 s on, the window kept (60 s plus a segment) has passed the first marker, not the second.
        int swept = markers.sweep(Instant.now().plusSeconds(70));
        assertThat(swept).isGreaterThanOrEqualTo(1);
        assertThat(as(p.user()).get(path(id)).jsonPath().getList("items.label", String.class))
                .containsExactly("late");

        as(p.user()).delete("/api/v1/replay-buffers/" + id).then().statusCode(200);
        fake.complete(buffer.getString("egressId"));
        fake.sendWebhook(buffer.getString("egressId"), "egress_ended");
        assertThat(p.buffer(id).getString("status")).isEqualTo("STOPPED");
        Instant ended = Instant.parse(p.buffer(id).getString("endedAt"));
        markers.sweep(ended.plus(Duration.ofMinutes(15)).minusSeconds(1));
        assertThat(markers.within(java.util.UUID.fromString(id), Instant.EPOCH, Instant.now().plusSeconds(60)))
                .as("kept within the stopped grace").hasSize(1);
        markers.sweep(ended.plus(Duration.ofMinutes(15)).plusSeconds(1));
        assertThat(markers.within(java.util.UUID.fromString(id), Instant.EPOCH, Instant.now().plusSeconds(60)))
                .as("gone with the stopped buffer's footage").isEmpty();
    }

    @Test
    void markersInAClipAreListedAndWrittenAsChapters() throws Exception {
        Player p = Player.joining(fake, "chapters");
        JsonPath buffer = p.start(600);
        String id = buffer.getString("id");
        fake.emitSegments(buffer.getString("egressId"), 4);
        Instant oldest = Instant.parse(p.buffer(id).getString("oldestAt"));
        mark(as(p.user()), id, Map.of("label", "before the clip", "at", oldest.plusSeconds(2).toString()));
        mark(asGameServer("game-backend"), id, Map.of("label", "Ace", "kind", "kill",
                "at", oldest.plusMillis(12_500).toString()));
        mark(as(p.user()), id, Map.of("label", "Clutch ⚡", "at", oldest.plusSeconds(20).toString()));

        JsonPath clip = io.replaybuffer.testing.Clips.capture(p.user(), id, Map.of(
                "startAt", oldest.plusSeconds(10).toString(), "endAt", oldest.plusSeconds(30).toString()));
        JsonPath ready = io.replaybuffer.testing.Clips.awaitDone(p.user(), clip.getString("id"));
        assertThat(ready.getString("status")).isEqualTo("READY");
        assertThat(ready.getList("markers.label")).containsExactly("Ace", "Clutch ⚡");
        assertThat(ready.getList("markers.kind")).containsExactly("kill", null);
        assertThat(ready.getDouble("markers[0].offsetSeconds")).isCloseTo(2.5, within(0.001));
        assertThat(ready.getDouble("markers[1].offsetSeconds")).isCloseTo(10.0, within(0.001));

        java.nio.file.Path mp4 = io.replaybuffer.testing.Clips.download(p.user(), clip.getString("id"));
        List<io.replaybuffer.testing.ChapterProbe.Chapter> chapters = io.replaybuffer.testing.ChapterProbe.of(mp4);
        assertThat(chapters).extracting(io.replaybuffer.testing.ChapterProbe.Chapter::title)
                .containsExactly("Ace", "Clutch ⚡");
        assertThat(chapters.get(0).start()).isCloseTo(2.5, within(0.001));
        assertThat(chapters.get(1).start()).isCloseTo(10.0, within(0.001));
        assertThat(io.replaybuffer.testing.MediaProbe.of(mp4).videoEnd()).isCloseTo(20.0, within(1.0 / 15));
    }
}
