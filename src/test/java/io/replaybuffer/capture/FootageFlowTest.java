package io.replaybuffer.capture;

import static io.replaybuffer.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.cleanup.CleanupJob;
import io.replaybuffer.clip.build.ClipRecovery;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.InterruptedCaptures;
import io.replaybuffer.testing.MediaDecode;
import io.replaybuffer.testing.MediaProbe;
import io.replaybuffer.testing.TestFootage;
import io.replaybuffer.testing.TestFootage.Source;
import io.replaybuffer.testing.TestFootage.Spec;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import livekit.LivekitEgress.EgressStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole flow on footage the service did not make, written into the volume by the fake egress under egress' own
 * names, as a first attempt and across a retry: start, footage, capture, preview, sweep, stop, restart recovery.
 * Every clip is probed: duration within a frame, audio with the video, moov first, every frame decodes.
 */
@QuarkusTest
class FootageFlowTest {

    private static final Spec SPEC = Spec.SMALL; // six 2 s segments, 320x180 at 30 fps
    private static final double FRAME = 1.0 / SPEC.fps();

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    CleanupJob cleanup;

    @Inject
    InterruptedCaptures interrupted;

    @Inject
    ClipRecovery recovery;

    static List<Arguments> footage() {
        return Arrays.stream(Source.values())
                .flatMap(source -> List.of(Arguments.of(source, false), Arguments.of(source, true)).stream())
                .toList();
    }

    @ParameterizedTest(name = "{0}, retried: {1}")
    @MethodSource("footage")
    void theWholeFlowOnFootageFromElsewhere(Source source, boolean retried) throws Exception {
        List<TestFootage.Segment> segments = TestFootage.segments(source, SPEC);
        Player p = Player.joining(fake, "flow-" + source.name().toLowerCase().replace('_', '-'));
        JsonPath started = p.start(600);
        String id = started.getString("id");
        String egressId = started.getString("egressId");
        fake.setStatus(egressId, EgressStatus.EGRESS_ACTIVE, null);
        fake.sendWebhook(egressId, "egress_updated");

        int firstAttempt = retried ? 3 : segments.size();
        adopt(egressId, segments.subList(0, firstAttempt));
        if (retried) {
            fake.setStatus(egressId, EgressStatus.EGRESS_FAILED, "could not connect to room");
            fake.sendWebhook(egressId, "egress_ended");
            fake.retry(egressId, Duration.ofSeconds(3));
            adopt(egressId, segments.subList(firstAttempt, segments.size()));
            fake.sendWebhook(egressId, "egress_updated");
        }
        double continuous = segments.subList(retried ? firstAttempt : 0, segments.size()).stream()
                .mapToDouble(TestFootage.Segment::seconds).sum();
        JsonPath buffer = p.buffer(id);
        assertThat(buffer.getString("status")).isEqualTo("ACTIVE");
        assertThat(buffer.getDouble("availableSeconds")).isCloseTo(continuous, within(0.01));

        // Capture the last 5 s: a cut in the middle of a GOP, across a join.
        assertPlayable(capture(p, id, 5.0), 5.0);

        // Preview: every segment listed (attempts apart), each served by its signed link.
        String preview = as(p.user()).get("/api/v1/replay-buffers/" + id + "/preview.m3u8").asString();
        List<String> links = preview.lines().filter(l -> l.startsWith("/api/")).toList();
        assertThat(links).hasSize(segments.size());
        assertThat(preview.contains("#EXT-X-DISCONTINUITY")).isEqualTo(retried);
        assertThat(given().urlEncodingEnabled(false).get(links.get(links.size() - 1)).then().statusCode(200)
                .extract().asByteArray()).hasSize((int) Files.size(segments.get(segments.size() - 1).file()));

        // The sweep keeps what is in the window.
        cleanup.run();
        assertThat(p.buffer(id).getDouble("availableSeconds")).isCloseTo(continuous, within(0.01));

        // Stop: egress ends its playlists; the footage stays capturable through the grace period.
        as(p.user()).delete("/api/v1/replay-buffers/" + id).then().statusCode(200);
        fake.complete(egressId);
        fake.sendWebhook(egressId, "egress_ended");
        assertThat(p.buffer(id).getString("status")).isEqualTo("STOPPED");
        assertPlayable(capture(p, id, 3.0), 3.0);

        // A crash between securing the footage and building it: recovery builds it from what was secured.
        UUID clipId = UUID.randomUUID();
        interrupted.afterSecuring(p.user(), clipId, id, Duration.ofSeconds(4));
        recovery.recover(interrupted.later()); // once whatever a dead replica held has run out
        assertThat(Clips.awaitDone(p.user(), clipId.toString()).getString("status")).isEqualTo("READY");
        assertPlayable(Clips.download(p.user(), clipId.toString()), 4.0);
    }

    private void adopt(String egressId, List<TestFootage.Segment> segments) throws Exception {
        for (TestFootage.Segment segment : segments) {
            fake.adoptSegments(egressId, List.of(segment.file()), segment.seconds());
        }
    }

    private static Path capture(Player p, String bufferId, double seconds) throws Exception {
        JsonPath clip = Clips.capture(p.user(), bufferId, Map.of("durationSeconds", seconds));
        assertThat(clip.getBoolean("truncated")).isFalse();
        assertThat(Clips.awaitDone(p.user(), clip.getString("id")).getString("status")).isEqualTo("READY");
        return Clips.download(p.user(), clip.getString("id"));
    }

    /** The same probes the builder's own tests use, on what the service stored and served. */
    private static void assertPlayable(Path mp4, double seconds) throws Exception {
        MediaProbe probe = MediaProbe.of(mp4);
        assertThat(probe.videoCodec()).isEqualTo("h264");
        assertThat(probe.audioCodec()).isEqualTo("aac");
        assertThat(probe.videoStart()).isCloseTo(0.0, within(FRAME));
        assertThat(probe.videoEnd()).as("duration within one frame").isCloseTo(seconds, within(FRAME));
        assertThat(probe.audioStart()).as("audio within 50 ms of video").isCloseTo(probe.videoStart(), within(0.05));
        List<String> boxes = MediaProbe.topLevelBoxes(mp4);
        assertThat(boxes.indexOf("moov")).as("moov before mdat").isBetween(0, boxes.indexOf("mdat"));
        MediaDecode decoded = MediaDecode.of(mp4);
        assertThat(decoded.errors()).as("every frame decodes").isEmpty();
        assertThat(decoded.firstPacketIsKey()).isTrue();
    }
}
