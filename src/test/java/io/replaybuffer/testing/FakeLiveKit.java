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
 * real segments where egress would and names them as egress does ({@link EgressNaming}, {@link FakeEgressOutput}),
 * reports them as egress does ({@code segment_results}), and signs webhooks exactly as LiveKit does. Tests steer it:
 * who is in a room, what each egress is doing, retries, LiveKit being down or slow. Every behaviour and its upstream
 * source is tabled in {@code docs/livekit-conformance.md}.
 */
public final class FakeLiveKit implements AutoCloseable {

    public static final String API_KEY = "APIfakekey";
    public static final String API_SECRET = "fake-livekit-secret-with-enough-entropy-0123456789";

    private final HttpServer server;
    private final Map<String, LivekitModels.ParticipantInfo> participants = new ConcurrentHashMap<>();
    private final Map<String, FakeEgress> egresses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger fleetListings = new AtomicInteger();
    private final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<LivekitEgress.TrackCompositeEgressRequest> startRequests = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean down;
    private volatile FakeTwirp.Failure startFailure;
    private volatile Duration delay = Duration.ZERO;
    private volatile Duration startAnswerDelay = Duration.ZERO;
    private volatile URI webhookTarget = URI.create("http://localhost:"
            + System.getProperty("quarkus.http.test-port", "8081") + "/api/v1/livekit/webhook");

    /** One egress as the fake server knows it, with what it has written. */
    private static final class FakeEgress {
        LivekitEgress.EgressInfo info;
        FakeEgressOutput output;

        /**
         * The info with the current {@code segment_results} (and the deprecated singular {@code segments}, which
         * egress fills too when segments are the only output: {@code pkg/config/output.go}) and retry count
         * ({@code pkg/config/pipeline.go} {@code Update} copies it into {@code EgressInfo.retry_count}).
         */
        LivekitEgress.EgressInfo info() {
            LivekitEgress.SegmentsInfo segments = output.segmentsInfo();
            return info.toBuilder().clearSegmentResults().addSegmentResults(segments).setSegments(segments)
                    .setRetryCount(output.retryCount()).build();
        }
    }

    public FakeLiveKit() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
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
        fleetListings.set(0);
        synchronized (startRequests) {
            startRequests.clear();
        }
        down = false;
        delay = Duration.ZERO;
        startAnswerDelay = Duration.ZERO;
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

    /**
     * StartTrackCompositeEgress starts the egress at once but answers only after {@code delay}: an answer lost to
     * the client's timeout, while LiveKit went on (livekit {@code pkg/service/egress.go} starts the egress before
     * it answers).
     */
    public void answerStartsAfter(Duration delay) {
        this.startAnswerDelay = delay;
    }

    /**
     * The same start request arrives again (a client that retried a start whose answer it lost): a second egress,
     * with a new id, writing the same names into the same folder.
     */
    public String startAgain(String egressId) throws IOException {
        try {
            return ((LivekitEgress.EgressInfo) start(egress(egressId).info.getTrackComposite().toByteArray()))
                    .getEgressId();
        } catch (FakeTwirp.Failure failure) {
            throw new IOException(failure);
        }
    }

    /**
     * A retry under a new egress id, as an orchestrator might start it: the old egress is left FAILED, the new one
     * writes the request's names with {@code retry_count} one higher, into the same folder, after {@code gap}.
     */
    public String retryAsNewEgress(String egressId, Duration gap) throws IOException {
        FakeEgress old = egress(egressId);
        setStatus(egressId, LivekitEgress.EgressStatus.EGRESS_FAILED, "could not connect to room");
        String id = startAgain(egressId);
        FakeEgress retried = egress(id);
        try {
            for (int i = 0; i <= old.output.retryCount(); i++) {
                retried.output.retry(Duration.ZERO);
            }
            retried.output.continuesAfter(old.output, gap);
        } catch (EgressNaming.Refused refused) {
            throw new IOException(refused.getMessage(), refused);
        }
        setStatus(id, LivekitEgress.EgressStatus.EGRESS_ACTIVE, null);
        return id;
    }

    /** Egresses the fake runs now (STARTING, ACTIVE or ENDING). */
    public List<String> running() {
        return egresses.values().stream()
                .filter(e -> e.info.getStatus().getNumber() < LivekitEgress.EgressStatus.EGRESS_COMPLETE_VALUE)
                .map(e -> e.info.getEgressId()).sorted().toList();
    }

    /** The current {@code EgressInfo} of an egress, as a listing would report it. */
    public LivekitEgress.EgressInfo info(String egressId) {
        return egress(egressId).info();
    }

    /** The playlist names (file names) the egress' current attempt writes. */
    public EgressNaming naming(String egressId) {
        return egress(egressId).output.naming();
    }

    /** ListEgress calls for every active egress (no room, no id): one per reconcile pass of the backend. */
    public int fleetListings() {
        return fleetListings.get();
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
        return egress(egressId).output.emit(count);
    }

    /** As {@link #emitSegments(String, int)}, the first segments back-dated so the newest ends at {@code end}. */
    public List<Path> emitSegments(String egressId, int count, Instant end) throws IOException {
        return egress(egressId).output.emit(count, end);
    }

    /** Egress "writes" copies of segments encoded elsewhere (ffmpeg, GStreamer), each {@code seconds} long. */
    public List<Path> adoptSegments(String egressId, List<Path> encoded, double seconds) throws IOException {
        return egress(egressId).output.adopt(encoded, seconds);
    }

    /** Writes a segment file that no playlist lists yet: one still being copied by egress. */
    public Path emitUnlistedSegment(String egressId) throws IOException {
        return egress(egressId).output.emitUnlisted();
    }

    /**
     * Egress' auto-retry (livekit/egress #1138): the failed pipeline is started again under the same egress id
     * with {@code retry_count} raised, writing new names from 0 after {@code gap} without footage. It starts
     * STARTING and goes ACTIVE; livekit's {@code ioservice.go} sends no second egress_started for a known id.
     */
    public void retry(String egressId, Duration gap) throws IOException {
        FakeEgress egress = egress(egressId);
        try {
            egress.output.retry(gap);
        } catch (EgressNaming.Refused refused) {
            throw new IOException(refused.getMessage(), refused);
        }
        setStatus(egressId, LivekitEgress.EgressStatus.EGRESS_ACTIVE, null);
    }

    /**
     * The end of egress' stop sequence: the last fragment closed, ENDLIST written and uploaded, then COMPLETE with
     * {@code ended_at} ({@code pkg/pipeline/sink/segments.go} {@code Close}, {@code pkg/pipeline/controller.go}).
     */
    public void complete(String egressId) throws IOException {
        FakeEgress egress = egress(egressId);
        egress.output.end();
        long now = nanos(Instant.now());
        egress.info = egress.info.toBuilder().setStatus(LivekitEgress.EgressStatus.EGRESS_COMPLETE)
                .setEndedAt(now).setUpdatedAt(now).setDetails("End reason: StopEgress API").build();
    }

    /** Sends the current state of an egress as a signed webhook, as LiveKit does. Returns the HTTP status. */
    public int sendWebhook(String egressId, String event) {
        String json = webhookBody(egressId, event);
        return postWebhook(json, signWebhook(json, API_SECRET));
    }

    /** Posts a webhook body with the given Authorization header (null for none). */
    public int postWebhook(String body, String authorization) {
        return LiveKitWebhooks.post(webhookTarget, body, authorization);
    }

    /**
     * A webhook as livekit sends it ({@code pkg/telemetry/events.go} {@code NotifyEgressEvent}): the event, the room,
     * the egress info, an {@code EV_} id and {@code created_at} in seconds, as protobuf JSON.
     */
    public String webhookBody(String egressId, String event) {
        LivekitEgress.EgressInfo info = egress(egressId).info();
        return json(LivekitWebhook.WebhookEvent.newBuilder().setEvent(event).setEgressInfo(info)
                .setRoom(LivekitModels.Room.newBuilder().setName(info.getRoomName()).setSid(info.getRoomId()))
                .setId("EV_" + ids.incrementAndGet()).setCreatedAt(Instant.now().getEpochSecond()).build());
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

    /**
     * StartTrackCompositeEgress: the egress exists from here on, STARTING, with its playlist names in
     * {@code segment_results} already (livekit/egress {@code pkg/config/output.go} {@code updateEncodedOutputs}).
     * No check on {@code {retry}} here: egress refuses a prefix without it only on a retry
     * ({@code pkg/config/output_segment.go} {@code getSegmentConfig}).
     */
    private Message start(byte[] body) throws IOException, FakeTwirp.Failure {
        if (startFailure != null) {
            throw startFailure;
        }
        LivekitEgress.TrackCompositeEgressRequest request = LivekitEgress.TrackCompositeEgressRequest.parseFrom(body);
        LivekitEgress.SegmentedFileOutput output = request.hasSegments() ? request.getSegments()
                : request.getSegmentOutputsCount() > 0 ? request.getSegmentOutputs(0) : null;
        if (output == null) {
            throw new FakeTwirp.Failure(400, "invalid_argument", "no output");
        }
        synchronized (startRequests) {
            startRequests.add(request);
        }
        FakeEgress egress = new FakeEgress();
        String id = "EG_" + Integer.toString(ids.incrementAndGet(), 36) + Long.toString(System.nanoTime(), 36);
        try {
            egress.output = new FakeEgressOutput(output, request.getRoomName(), publisherOf(request), id);
        } catch (EgressNaming.Refused refused) {
            throw new FakeTwirp.Failure(400, refused.code, refused.getMessage());
        }
        egress.info = LivekitEgress.EgressInfo.newBuilder()
                .setEgressId(id).setRoomName(request.getRoomName()).setTrackComposite(request)
                .setStatus(LivekitEgress.EgressStatus.EGRESS_STARTING)
                .setStartedAt(nanos(Instant.now())).setUpdatedAt(nanos(Instant.now())).build();
        egresses.put(id, egress);
        if (!startAnswerDelay.isZero()) {
            try {
                Thread.sleep(startAnswerDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return egress.info();
    }

    /** The identity publishing the request's video track ({@code {publisher_identity}} for track composite). */
    private String publisherOf(LivekitEgress.TrackCompositeEgressRequest request) {
        return participants.values().stream()
                .filter(p -> p.getTracksList().stream().anyMatch(t -> t.getSid().equals(request.getVideoTrackId())))
                .map(LivekitModels.ParticipantInfo::getIdentity).findFirst().orElse("");
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
        // StopEgress sends EOS and answers ENDING; the files are finished by complete() (controller.go SendEOS).
        setStatus(id, LivekitEgress.EgressStatus.EGRESS_ENDING, null);
        return egress.info();
    }

    private Message list(byte[] body) throws IOException {
        LivekitEgress.ListEgressRequest request = LivekitEgress.ListEgressRequest.parseFrom(body);
        LivekitEgress.ListEgressResponse.Builder response = LivekitEgress.ListEgressResponse.newBuilder();
        if (request.getActive() && request.getRoomName().isEmpty() && request.getEgressId().isEmpty()) {
            fleetListings.incrementAndGet();
        }
        for (FakeEgress egress : egresses.values()) {
            boolean running = egress.info.getStatus().getNumber() < LivekitEgress.EgressStatus.EGRESS_COMPLETE_VALUE;
            boolean matches = (request.getEgressId().isEmpty() || request.getEgressId().equals(egress.info.getEgressId()))
                    && (request.getRoomName().isEmpty() || request.getRoomName().equals(egress.info.getRoomName()));
            if (matches && (!request.getActive() || running)) {
                response.addItems(egress.info());
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

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static String json(Message message) {
        return LiveKitWebhooks.json(message);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow(); // its threads are not daemons: left running, they keep a benchmark's JVM alive
    }
}
