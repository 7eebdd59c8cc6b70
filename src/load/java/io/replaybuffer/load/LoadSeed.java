package io.replaybuffer.load;

import static io.replaybuffer.testing.Api.as;

import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import livekit.LivekitEgress.EgressStatus;
import org.awaitility.Awaitility;

/**
 * What the load runs read and download, made through the API of the running service as a client would: a player's
 * buffer fed by the fake LiveKit's egress, and clips captured from it (RestAssured must point at the service).
 */
final class LoadSeed {

    private final FakeLiveKit fake;

    LoadSeed(FakeLiveKit fake) {
        this.fake = fake;
    }

    /** A player with an ACTIVE buffer holding {@code segments} of the fake egress' footage; its JSON. */
    JsonPath activeBuffer(Player player, int segments) throws IOException {
        JsonPath buffer = player.start(3600);
        String egressId = buffer.getString("egressId");
        fake.setStatus(egressId, EgressStatus.EGRESS_ACTIVE, null);
        fake.sendWebhook(egressId, "egress_updated");
        if (segments > 0) {
            fake.emitSegments(egressId, segments);
        }
        return buffer;
    }

    /** {@code count} READY clips of {@code seconds} each from the player's buffer; their ids. */
    List<String> clips(Player player, String bufferId, int count, int seconds) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Clips.capture(player.user(), bufferId, Map.of("durationSeconds", seconds, "title", "load " + i))
                    .getString("id"));
        }
        for (String id : ids) {
            awaitReady(player, id);
        }
        return ids;
    }

    /**
     * A READY clip of at least {@code bytes}: footage of random noise, coded losslessly so that it cannot shrink, made
     * by the ffmpeg CLI in 1 s MPEG-TS segments and handed to the player's egress. Returns the clip's id.
     */
    String bigClip(Player player, long bytes) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/load/noise-footage"));
        int seconds = (int) Math.max(2, bytes / 24_000_000 + 2); // about 25 MB/s of 720p25 noise
        List<Path> segments = segments(dir);
        if (segments.size() < seconds) {
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-y",
                    "-f", "lavfi", "-i", "color=c=gray:s=1280x720:r=25,noise=alls=100:allf=t",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
                    "-pix_fmt", "yuv420p", "-g", "25", "-c:a", "aac", "-f", "segment", "-segment_time", "1",
                    "-segment_format", "mpegts", dir.resolve("noise-%03d.ts").toString()).inheritIO().start();
            if (ffmpeg.waitFor() != 0) {
                throw new IllegalStateException("ffmpeg could not make the noise footage");
            }
            segments = segments(dir);
        }
        JsonPath buffer = activeBuffer(player, 0);
        fake.adoptSegments(buffer.getString("egressId"), segments, 1.0);
        // The last seconds whose segments add up to the size asked for (the noise' bit rate depends on the encoder).
        long total = 0;
        for (Path segment : segments) {
            total += Files.size(segment);
        }
        long perSecond = total / segments.size();
        int wanted = (int) Math.min(segments.size(), Math.max(2, (bytes + perSecond - 1) / perSecond));
        String id = Clips.capture(player.user(), buffer.getString("id"),
                Map.of("durationSeconds", wanted, "title", "big")).getString("id");
        JsonPath clip = awaitReady(player, id);
        if (clip.getLong("sizeBytes") < bytes * 0.9) {
            throw new IllegalStateException("big clip " + id + ": " + clip.prettify());
        }
        return id;
    }

    /** Waits for a clip to be READY (builds are slow on a busy machine) and returns it. */
    static JsonPath awaitReady(Player player, String clipId) {
        Awaitility.await("clip " + clipId).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> !"PROCESSING".equals(as(player.user()).get("/api/v1/clips/" + clipId).jsonPath()
                        .getString("status")));
        JsonPath clip = as(player.user()).get("/api/v1/clips/" + clipId).jsonPath();
        if (!"READY".equals(clip.getString("status"))) {
            throw new IllegalStateException("clip " + clipId + " is " + clip.prettify());
        }
        return clip;
    }

    /** The body of a GET as the player, for the peer to serve the same bytes. */
    static byte[] body(Player player, String path) {
        return as(player.user()).get(path).then().statusCode(200).extract().asByteArray();
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ts")).sorted().toList();
        }
    }
}
