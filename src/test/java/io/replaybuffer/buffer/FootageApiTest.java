package io.replaybuffer.buffer;

import static io.replaybuffer.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.MediaProbe;
import io.replaybuffer.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import livekit.LivekitEgress.EgressStatus;
import org.junit.jupiter.api.Test;

/** What a client sees of the footage: availability, runs split by restarts, and a playable preview. */
@QuarkusTest
class FootageApiTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL root;

    @Test
    void previewPlaylistLinksSignedPlayableSegments() throws Exception {
        Player p = Player.joining(fake, "preview");
        var buffer = p.start(60);
        String id = buffer.getString("id");
        String previewUrl = root.toString().replaceAll("/$", "");
        fake.setStatus(buffer.getString("egressId"), EgressStatus.EGRESS_ACTIVE, null);
        fake.emitSegments(buffer.getString("egressId"), 3);

        String playlist = as(p.user()).when().get("/api/v1/replay-buffers/" + id + "/preview.m3u8")
                .then().statusCode(200).contentType("application/vnd.apple.mpegurl").extract().asString();
        List<String> urls = Arrays.stream(playlist.split("\n")).filter(l -> l.startsWith("/api/")).toList();
        assertThat(urls).hasSize(3);
        assertThat(playlist).contains("#EXT-X-PROGRAM-DATE-TIME:").doesNotContain("#EXT-X-ENDLIST");

        // A browser player fetches segments without a token: the signature is the permission. The first attempt's
        // names keep egress' literal {retry}, percent-encoded in the link (sent as is, not encoded again).
        assertThat(urls.get(0)).contains("/segments/seg-r%7Bretry%7D_00000.ts?");
        byte[] segment = given().urlEncodingEnabled(false).when().get(urls.get(0)).then().statusCode(200).contentType("video/mp2t")
                .extract().asByteArray();
        Path copy = Files.createTempFile("preview", ".ts");
        Files.write(copy, segment);
        assertThat(MediaProbe.of(copy).videoCodec()).isEqualTo("h264");
        given().urlEncodingEnabled(false).when().get(urls.get(0).replace("signature=", "signature=x"))
                .then().statusCode(404);

        // Once stopped the preview ends with ENDLIST, and FFmpeg's HLS demuxer plays all of it over HTTP,
        // following the signed segment URLs. (A live one it would keep polling, as players do.)
        as(p.user()).when().delete("/api/v1/replay-buffers/" + id).then().statusCode(200);
        fake.setStatus(buffer.getString("egressId"), EgressStatus.EGRESS_COMPLETE, null);
        fake.sendWebhook(buffer.getString("egressId"), "egress_ended");
        assertThat(as(p.user()).get("/api/v1/replay-buffers/" + id + "/preview.m3u8").asString()).endsWith("#EXT-X-ENDLIST\n");
        MediaProbe played = MediaProbe.ofUrl(previewUrl + "/api/v1/replay-buffers/" + id + "/preview.m3u8",
                Tokens.bearer(Tokens.user(p.user())));
        assertThat(played.videoCodec()).isEqualTo("h264");
        assertThat(played.audioCodec()).isEqualTo("aac");
        assertThat(played.videoDuration()).isCloseTo(30.0, org.assertj.core.api.Assertions.within(0.2));
        given().urlEncodingEnabled(false).when().get(urls.get(0).replaceAll("expires=\\d+", "expires=1"))
                .then().statusCode(404);
        given().urlEncodingEnabled(false).when().get(urls.get(0).replace("_00000.ts", "_00001.ts"))
                .then().statusCode(404);
    }

    @Test
    void anEgressRestartLeavesTwoRunsAndOnlyTheNewestIsContinuous() throws Exception {
        Player p = Player.joining(fake, "restart");
        var buffer = p.start(600);
        String egressId = buffer.getString("egressId");
        fake.emitSegments(egressId, 3);
        fake.retry(egressId, Duration.ofSeconds(4));
        fake.sendWebhook(egressId, "egress_updated"); // how the service learns the retry's names
        fake.emitSegments(egressId, 2);
        var after = p.buffer(buffer.getString("id"));
        assertThat(after.getDouble("availableSeconds")).isEqualTo(20.0);
        String playlist = as(p.user()).when().get("/api/v1/replay-buffers/" + buffer.getString("id") + "/preview.m3u8")
                .then().extract().asString();
        assertThat(playlist).containsOnlyOnce("#EXT-X-DISCONTINUITY");
        assertThat(playlist).contains("seg-r%7Bretry%7D_00002.ts", "seg-r1_00000.ts");
    }

    @Test
    void aHalfWrittenNewestSegmentIsNotCounted() throws Exception {
        Player p = Player.joining(fake, "half-written");
        var buffer = p.start(60);
        fake.emitSegments(buffer.getString("egressId"), 2);
        fake.emitUnlistedSegment(buffer.getString("egressId"));
        assertThat(p.buffer(buffer.getString("id")).getDouble("availableSeconds")).isEqualTo(20.0);
    }
}
