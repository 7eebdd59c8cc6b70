package io.replaybuffer.testing;

import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import livekit.LivekitEgress;
import livekit.LivekitModels;
import livekit.LivekitRoom;
import livekit.LivekitWebhook;

/**
 * LiveKit faked at its HTTP boundary: the Twirp endpoints the SDK calls, answered with the SDK's own protobuf classes.
 * It checks the JWT the service sends (HS256 with our key, issuer = API key, roomRecord / roomAdmin grant), writes
 * real segments where egress would, and signs webhooks exactly as LiveKit does. Tests steer it: who is in a room,
 * what each egress is doing, LiveKit being down or slow.
 */
public final class FakeLiveKit implements AutoCloseable {

    public static final String API_KEY = "APIfakekey";
    public static final String API_SECRET = "fake-livekit-secret-with-enough-entropy-0123456789";

    private final HttpServer server;
    private final Map<String, LivekitModels.ParticipantInfo> participants = new ConcurrentHashMap<>();
    private final Map<String, FakeEgress> egresses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<LivekitEgress.TrackCompositeEgressRequest> startRequests = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean down;
    private volatile FakeTwirp.Failure startFailure;
    private volatile Duration delay = Duration.ZERO;
    private volatile URI webhookTarget = URI.create("http://localhost:8081/api/v1/livekit/webhook");

    /** One egress as the fake server knows it, with what it has written. */
    private static final class FakeEgress {
        LivekitEgress.EgressInfo info;
        FakeEgressOutput output;
    }

    public FakeLiveKit() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/twirp/livekit.Egress/StartTrackCompositeEgress", ex -> handle(ex, "roomRecord", this::start));
        server.createContext("/twirp/livekit.Egress/StopEgress", ex -> handle(ex, "roomRecord", this::stop));
        server.createContext("/twirp/livekit.Egress/ListEgress", ex -> handle(ex, "roomRecord", this::list));
        server.createContext("/twirp/livekit.RoomService/GetParticipant", ex -> handle(ex, "roomAdmin", this::participant));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ------------------------------------------------------------------ steering from tests

    public void reset() {
        participants.clear();
        egresses.clear();
        calls.clear();
        synchronized (startRequests) {
            startRequests.clear();
        }
        down = false;
        delay = Duration.ZERO;
    }

    public void webhookTarget(URI target) {
        this.webhookTarget = target;
    }

    public void down(boolean down) {
        this.down = down;
    }

    /** Makes StartTrackCompositeEgress alone fail with this Twirp error (status 0 to stop). */
    public void failStartsWith(int status, String code, String msg) {
        this.startFailure = status == 0 ? null : new FakeTwirp.Failure(status, code, msg);
    }

    public void delay(Duration delay) {
        this.delay = delay;
    }

    public int calls(String method) {
        return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    public void addParticipant(String room, String identity, String videoSid, String audioSid) {
        LivekitModels.ParticipantInfo.Builder info = LivekitModels.ParticipantInfo.newBuilder()
                .setIdentity(identity).setSid("PA_" + identity).setState(LivekitModels.ParticipantInfo.State.ACTIVE);
        if (videoSid != null) {
            info.addTracks(LivekitModels.TrackInfo.newBuilder().setSid(videoSid).setType(LivekitModels.TrackType.VIDEO));
        }
        if (audioSid != null) {
            info.addTracks(LivekitModels.TrackInfo.newBuilder().setSid(audioSid).setType(LivekitModels.TrackType.AUDIO));
        }
        participants.put(room + "/" + identity, info.build());
    }

    public List<LivekitEgress.TrackCompositeEgressRequest> startRequests() {
        synchronized (startRequests) {
            return List.copyOf(startRequests);
        }
    }

    /** Moves an egress to a state without telling anyone (a lost webhook). */
    public void setStatus(String egressId, LivekitEgress.EgressStatus status, String error) {
        FakeEgress egress = egress(egressId);
        egress.info = egress.info.toBuilder().setStatus(status).setError(error == null ? "" : error)
                .setUpdatedAt(nanos(Instant.now())).build();
    }

    /** Forgets an egress entirely, as LiveKit does some time after it ended. */
    public void forget(String egressId) {
        egresses.remove(egressId);
    }

    /** Writes {@code count} segments the way egress does and lists them; the first ones are back-dated to now. */
    public List<Path> emitSegments(String egressId, int count) throws IOException {
        FakeEgress egress = egress(egressId);
        return egress.output.emit(count, segmentSeconds(egress));
    }

    /** Egress "writes" copies of pre-encoded segments (for benchmarks with heavy footage); all back-dated to now. */
    public void adoptSegments(String egressId, List<Path> encoded, int seconds) throws IOException {
        egress(egressId).output.adopt(encoded, seconds);
    }

    /** Writes a segment file that no playlist lists yet: one still being copied by egress. */
    public Path emitUnlistedSegment(String egressId) throws IOException {
        FakeEgress egress = egress(egressId);
        return egress.output.emitUnlisted(segmentSeconds(egress));
    }

    /** Egress restarts the recording (its retry count goes up): a new prefix, after a gap of {@code gap}. */
    public void restart(String egressId, Duration gap) {
        FakeEgress egress = egress(egressId);
        egress.info = egress.info.toBuilder().setRetryCount(egress.output.restart(gap)).build();
    }

    /** Sends the current state of an egress as a signed webhook, as LiveKit does. Returns the HTTP status. */
    public int sendWebhook(String egressId, String event) {
        LivekitWebhook.WebhookEvent body = LivekitWebhook.WebhookEvent.newBuilder()
                .setEvent(event).setEgressInfo(egress(egressId).info).setId("EV_" + ids.incrementAndGet())
                .setCreatedAt(Instant.now().getEpochSecond()).build();
        String json = json(body);
        return postWebhook(json, signWebhook(json, API_SECRET));
    }

    /** Posts a webhook body with the given Authorization header (null for none). */
    public int postWebhook(String body, String authorization) {
        return LiveKitWebhooks.post(webhookTarget, body, authorization);
    }

    public String webhookBody(String egressId, String event) {
        return json(LivekitWebhook.WebhookEvent.newBuilder().setEvent(event).setEgressInfo(egress(egressId).info).build());
    }

    /** LiveKit's webhook signature for {@code body}, made with {@code secret}. */
    public static String signWebhook(String body, String secret) {
        return LiveKitWebhooks.sign(API_KEY, body, secret);
    }

    // ------------------------------------------------------------------ the Twirp side

    private interface Handler {
        Message handle(byte[] body) throws FakeTwirp.Failure, IOException;
    }

    private void handle(HttpExchange exchange, String grant, Handler handler) throws IOException {
        String method = exchange.getRequestURI().getPath().substring(exchange.getRequestURI().getPath().lastIndexOf('/') + 1);
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
        try {
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis()); // a slow LiveKit, on the fake's own thread
            }
            if (down) {
                throw new FakeTwirp.Failure(503, "unavailable", "egress not connected (redis required)");
            }
            FakeTwirp.authorize(exchange.getRequestHeaders().getFirst("Authorization"), grant, API_KEY, API_SECRET);
            byte[] response = handler.handle(exchange.getRequestBody().readAllBytes()).toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/protobuf");
            exchange.sendResponseHeaders(200, response.length);
            exchange.getResponseBody().write(response);
        } catch (FakeTwirp.Failure failure) {
            byte[] error = ("{\"code\":\"" + failure.code + "\",\"msg\":\"" + failure.getMessage() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(failure.status, error.length);
            exchange.getResponseBody().write(error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private Message start(byte[] body) throws IOException, FakeTwirp.Failure {
        if (startFailure != null) {
            throw startFailure;
        }
        LivekitEgress.TrackCompositeEgressRequest request = LivekitEgress.TrackCompositeEgressRequest.parseFrom(body);
        LivekitEgress.SegmentedFileOutput output = request.hasSegments() ? request.getSegments()
                : request.getSegmentOutputsCount() > 0 ? request.getSegmentOutputs(0) : null;
        if (output == null || !output.getFilenamePrefix().contains("{retry}")) {
            throw new FakeTwirp.Failure(400, "invalid_argument", "non-retryable output");
        }
        synchronized (startRequests) {
            startRequests.add(request);
        }
        FakeEgress egress = new FakeEgress();
        String prefix = output.getFilenamePrefix();
        egress.output = new FakeEgressOutput(Path.of(prefix.substring(0, prefix.lastIndexOf('/'))));
        egress.info = LivekitEgress.EgressInfo.newBuilder()
                .setEgressId("EG_" + Integer.toString(ids.incrementAndGet(), 36) + Long.toString(System.nanoTime(), 36))
                .setRoomName(request.getRoomName()).setTrackComposite(request)
                .setStatus(LivekitEgress.EgressStatus.EGRESS_STARTING)
                .setStartedAt(nanos(Instant.now())).setUpdatedAt(nanos(Instant.now())).build();
        egresses.put(egress.info.getEgressId(), egress);
        return egress.info;
    }

    private Message stop(byte[] body) throws IOException, FakeTwirp.Failure {
        String id = LivekitEgress.StopEgressRequest.parseFrom(body).getEgressId();
        FakeEgress egress = egresses.get(id);
        if (egress == null) {
            throw new FakeTwirp.Failure(404, "not_found", "egress not found");
        }
        LivekitEgress.EgressStatus status = egress.info.getStatus();
        if (status.getNumber() >= LivekitEgress.EgressStatus.EGRESS_COMPLETE_VALUE) {
            throw new FakeTwirp.Failure(412, "failed_precondition", "egress with status " + status + " cannot be stopped");
        }
        setStatus(id, LivekitEgress.EgressStatus.EGRESS_ENDING, null);
        return egress.info;
    }

    private Message list(byte[] body) throws IOException {
        LivekitEgress.ListEgressRequest request = LivekitEgress.ListEgressRequest.parseFrom(body);
        LivekitEgress.ListEgressResponse.Builder response = LivekitEgress.ListEgressResponse.newBuilder();
        for (FakeEgress egress : egresses.values()) {
            boolean running = egress.info.getStatus().getNumber() < LivekitEgress.EgressStatus.EGRESS_COMPLETE_VALUE;
            boolean matches = request.getEgressId().isEmpty() || request.getEgressId().equals(egress.info.getEgressId());
            if (matches && (!request.getActive() || running)) {
                response.addItems(egress.info);
            }
        }
        return response.build();
    }

    private Message participant(byte[] body) throws IOException, FakeTwirp.Failure {
        LivekitRoom.RoomParticipantIdentity request = LivekitRoom.RoomParticipantIdentity.parseFrom(body);
        LivekitModels.ParticipantInfo info = participants.get(request.getRoom() + "/" + request.getIdentity());
        if (info == null) {
            throw new FakeTwirp.Failure(404, "not_found", "participant not found");
        }
        return info;
    }

    private FakeEgress egress(String egressId) {
        FakeEgress egress = egresses.get(egressId);
        if (egress == null) {
            throw new IllegalArgumentException("the fake LiveKit has no egress " + egressId);
        }
        return egress;
    }

    private static int segmentSeconds(FakeEgress egress) {
        LivekitEgress.TrackCompositeEgressRequest request = egress.info.getTrackComposite();
        LivekitEgress.SegmentedFileOutput output = request.hasSegments() ? request.getSegments() : request.getSegmentOutputs(0);
        return output.getSegmentDuration() > 0 ? output.getSegmentDuration() : 4;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static String json(Message message) {
        return LiveKitWebhooks.json(message);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
