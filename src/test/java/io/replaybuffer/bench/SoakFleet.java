package io.replaybuffer.bench;

import io.replaybuffer.egress.simulated.SegmentedRecording;
import io.replaybuffer.egress.simulated.TestPatternEncoder;
import io.replaybuffer.segment.SegmentLayout;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import livekit.LivekitEgress.EgressStatus;

/**
 * The recording side of the soak: {@code count} players, each with an ACTIVE buffer whose (fake) egress adds one
 * segment per segment duration. Encoding per buffer would need about a tenth of a core each (see the simulated egress
 * benchmark), so a 1,000-buffer fleet would need 100 cores: instead a few real, consecutive segments are encoded once
 * and copied in turn, under the names and through the playlist writer egress uses ({@link FakeLiveKit#adoptSegments}).
 * What the service reads, indexes, sweeps and captures is byte for byte what it would get from egress.
 */
public final class SoakFleet {

    /** Tiny but real footage: 160x90 at 5 fps, H.264 + AAC, about 7 KiB a second. */
    static final TestPatternEncoder.Format FORMAT = new TestPatternEncoder.Format(160, 90, 5, 24_000, 22_050, 24_000);
    public static final int SEGMENT_SECONDS = 10;
    /** Segments each buffer starts with: 72 × 10 s, the 72,000 segments at 1,000 buffers. */
    static final int BACKFILL = 72;
    private static final int DISTINCT = 6;

    public record Buffer(Player player, String id, String egressId) {
    }

    private final FakeLiveKit fake;
    private final List<Path> footage;
    private final List<Buffer> buffers = Collections.synchronizedList(new ArrayList<>());
    private int turn;

    public SoakFleet(FakeLiveKit fake, Path scratch) throws IOException {
        this.fake = fake;
        this.footage = encode(Files.createDirectories(scratch));
    }

    /** Encodes {@value #DISTINCT} consecutive segments once: the fleet copies them over and over. */
    private static List<Path> encode(Path scratch) throws IOException {
        SegmentedRecording recording = new SegmentedRecording(scratch, SegmentLayout.Attempt.FIRST,
                new TestPatternEncoder(FORMAT));
        List<Path> files = new ArrayList<>();
        Instant start = Instant.now();
        for (int i = 0; i < DISTINCT; i++) {
            files.add(recording.append(start.plusSeconds((long) i * SEGMENT_SECONDS), SEGMENT_SECONDS));
        }
        return files;
    }

    /**
     * Starts the player's buffer as a well-behaved client does: a 503 service-overloaded (nothing was done) is sent
     * again after its Retry-After. A replica that has just started, with its JIT still compiling, sheds some of a
     * burst of starts.
     */
    private static io.restassured.path.json.JsonPath startHonouringRetryAfter(Player player) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            io.restassured.response.Response response = io.replaybuffer.testing.Api.as(player.user())
                    .contentType("application/json").body(player.startBody(600)).post("/api/v1/replay-buffers");
            if (response.statusCode() != 503 || attempt == 30) {
                return response.then().statusCode(201).extract().jsonPath();
            }
            Thread.sleep(1000L * Long.parseLong(response.header("Retry-After")));
        }
    }

    long segmentBytes() throws IOException {
        long total = 0;
        for (Path file : footage) {
            total += Files.size(file);
        }
        return total / footage.size();
    }

    /** Starts {@code count} buffers through the API (on 8 threads), each back-filled with {@value #BACKFILL} segments. */
    public void start(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                started.add(pool.submit(() -> {
                    Player player = Player.joining(fake, "soak");
                    var json = startHonouringRetryAfter(player);
                    String egressId = json.getString("egressId");
                    fake.setStatus(egressId, EgressStatus.EGRESS_ACTIVE, null);
                    List<Path> backfill = new ArrayList<>(BACKFILL);
                    for (int k = 0; k < BACKFILL; k++) {
                        backfill.add(footage.get(k % DISTINCT));
                    }
                    fake.adoptSegments(egressId, backfill, SEGMENT_SECONDS);
                    if (fake.sendWebhook(egressId, "egress_updated") / 100 != 2) {
                        throw new IllegalStateException("the service refused the egress_updated webhook");
                    }
                    buffers.add(new Buffer(player, json.getString("id"), egressId));
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Has {@code scheduler} {@link #tick} every segment duration from now on: call it before {@link #start}, so
     * that buffers record from the moment they start and those started first do not stall while the rest start.
     */
    public void recordOn(ScheduledExecutorService scheduler) {
        scheduler.scheduleAtFixedRate(() -> {
            try {
                tick();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, SEGMENT_SECONDS, SEGMENT_SECONDS, TimeUnit.SECONDS);
    }

    /** One segment duration passed: every buffer's egress lists its next segment. */
    public void tick() throws IOException {
        Path next = footage.get(turn++ % DISTINCT);
        for (Buffer buffer : List.copyOf(buffers)) {
            fake.adoptSegments(buffer.egressId(), List.of(next), SEGMENT_SECONDS);
        }
    }

    public List<Buffer> buffers() {
        return List.copyOf(buffers);
    }
}
