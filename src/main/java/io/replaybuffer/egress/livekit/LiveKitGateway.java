package io.replaybuffer.egress.livekit;

import io.replaybuffer.egress.EgressGateway;
import io.replaybuffer.egress.EgressMetrics;
import io.replaybuffer.egress.EgressRejectedProblem;
import io.replaybuffer.egress.EgressState;
import io.replaybuffer.egress.EgressUnavailableProblem;
import io.replaybuffer.egress.EgressUpdate;
import io.replaybuffer.egress.Participant;
import io.replaybuffer.egress.RecordingRequest;
import io.replaybuffer.egress.RoomRoster;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.egress.EgressPaths;
import io.replaybuffer.segment.SegmentLayout;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import livekit.LivekitEgress;
import livekit.LivekitModels;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/** Records through a real LiveKit: Track Composite egress into rolling HLS segments on the shared volume. */
@ApplicationScoped
@Typed(LiveKitGateway.class)
public class LiveKitGateway implements EgressGateway, RoomRoster {

    /** {@link #name()}: the backend label of metrics and health. */
    static final String NAME = "livekit";
    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private final LiveKitApi api;
    private final EgressMetrics metrics;
    private final Clock clock;
    private final String outputRoot;
    private final LivekitEgress.EncodingOptionsPreset preset;

    LiveKitGateway(LiveKitApi api, EgressMetrics metrics, Clock clock, ReplayConfig config) {
        this.api = api;
        this.metrics = metrics;
        this.clock = clock;
        this.outputRoot = EgressPaths.outputRoot(config);
        this.preset = LivekitEgress.EncodingOptionsPreset.valueOf(config.egress().preset());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EgressUpdate start(RecordingRequest request) {
        LivekitEgress.SegmentedFileOutput output = LivekitEgress.SegmentedFileOutput.newBuilder()
                .setProtocol(LivekitEgress.SegmentedFileProtocol.HLS_PROTOCOL)
                .setFilenamePrefix(SegmentLayout.egressPrefix(outputRoot, request.segmentDir()))
                .setPlaylistName(SegmentLayout.PLAYLIST_TEMPLATE)
                .setLivePlaylistName(SegmentLayout.LIVE_PLAYLIST_TEMPLATE)
                .setSegmentDuration(request.segmentSeconds())
                .setFilenameSuffix(LivekitEgress.SegmentedFileSuffix.INDEX)
                // Else egress writes <egress id>.json beside the footage (uploadManifest, pkg/pipeline/controller.go).
                .setDisableManifest(true)
                .build();
        try {
            LivekitEgress.EgressInfo info = call("start", () -> api.startTrackComposite(request.roomName(), output,
                    request.audioTrackId() == null ? "" : request.audioTrackId(), request.videoTrackId(), preset));
            return toUpdate(info, EgressUpdate.Source.START);
        } catch (EgressUnavailableProblem unknown) {
            // No answer, a reset or a 5xx after the request left: LiveKit may have started the egress all the same,
            // and starting another would put two egresses into one folder. Ask LiveKit what runs there instead.
            return startedAnyway(request).orElseThrow(() -> unknown);
        }
    }

    /**
     * The egress a start whose answer was lost may have left running in the buffer's folder: the oldest is adopted,
     * any others are stopped. Empty when none runs there (or LiveKit cannot say).
     */
    private Optional<EgressUpdate> startedAnyway(RecordingRequest request) {
        List<LivekitEgress.EgressInfo> running;
        try {
            running = call("list", () -> api.listEgress(request.roomName(), null, true)).stream()
                    .filter(info -> segmentDirOf(info).filter(request.segmentDir()::equals).isPresent())
                    .sorted(java.util.Comparator.comparingLong(LivekitEgress.EgressInfo::getStartedAt)
                            .thenComparing(LivekitEgress.EgressInfo::getEgressId))
                    .toList();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (running.isEmpty()) {
            return Optional.empty();
        }
        for (LivekitEgress.EgressInfo extra : running.subList(1, running.size())) {
            try {
                stop(extra.getEgressId());
            } catch (RuntimeException e) {
                // The reconciler stops what is left: it is not the buffer's egress.
            }
        }
        metrics.startAdopted(name());
        return Optional.of(toUpdate(running.get(0), EgressUpdate.Source.START));
    }

    @Override
    public Optional<EgressUpdate> stop(String egressId) {
        return call("stop", () -> api.stopEgress(egressId)).map(info -> toUpdate(info, EgressUpdate.Source.STOP));
    }

    @Override
    public List<EgressUpdate> active() {
        return call("list", () -> api.listEgress(null, null, true)).stream()
                .map(info -> toUpdate(info, EgressUpdate.Source.RECONCILE))
                .filter(update -> update.segmentDir() != null)
                .toList();
    }

    @Override
    public Optional<EgressUpdate> find(String egressId) {
        return call("list", () -> api.listEgress(null, egressId, false)).stream()
                .filter(info -> egressId.equals(info.getEgressId()))
                .findFirst()
                .map(info -> toUpdate(info, EgressUpdate.Source.RECONCILE));
    }

    @Override
    public Optional<Participant> participant(String roomName, String identity) {
        return call("get_participant", () -> api.getParticipant(roomName, identity)).map(LiveKitGateway::toParticipant);
    }

    /** Turns an EgressInfo (from a call or a webhook) into the service's own update. */
    public EgressUpdate toUpdate(LivekitEgress.EgressInfo info, EgressUpdate.Source source) {
        long nanos = Math.max(info.getUpdatedAt(), info.getStartedAt());
        Instant at = nanos > 0 ? Instant.ofEpochSecond(0, nanos) : clock.instant();
        String error = info.getError().isBlank() ? null : info.getError();
        // segment_results is current; older servers filled only the deprecated singular segments field.
        List<LivekitEgress.SegmentsInfo> results = info.getSegmentResultsCount() > 0 ? info.getSegmentResultsList()
                : info.hasSegments() ? List.of(info.getSegments()) : List.of();
        List<EgressUpdate.ReportedPlaylists> playlists = results.stream()
                .map(r -> new EgressUpdate.ReportedPlaylists(r.getPlaylistName(), r.getLivePlaylistName()))
                .toList();
        return new EgressUpdate(info.getEgressId(), segmentDirOf(info).orElse(null), EgressState.of(info.getStatus()),
                error, at, source, info.getRetryCount(), playlists);
    }

    private Optional<String> segmentDirOf(LivekitEgress.EgressInfo info) {
        if (!info.hasTrackComposite()) {
            return Optional.empty();
        }
        LivekitEgress.TrackCompositeEgressRequest request = info.getTrackComposite();
        String prefix = request.hasSegments() ? request.getSegments().getFilenamePrefix()
                : request.getSegmentOutputsCount() > 0 ? request.getSegmentOutputs(0).getFilenamePrefix() : null;
        return SegmentLayout.dirOfPrefix(outputRoot, prefix);
    }

    private static Participant toParticipant(LivekitModels.ParticipantInfo info) {
        Set<String> video = new HashSet<>();
        Set<String> audio = new HashSet<>();
        for (LivekitModels.TrackInfo track : info.getTracksList()) {
            if (track.getType() == LivekitModels.TrackType.VIDEO) {
                video.add(track.getSid());
            } else if (track.getType() == LivekitModels.TrackType.AUDIO) {
                audio.add(track.getSid());
            }
        }
        return new Participant(info.getIdentity(), Set.copyOf(video), Set.copyOf(audio));
    }

    /** One place that turns LiveKit's failure modes into problems the client understands. */
    private <T> T call(String operation, Supplier<T> call) {
        return metrics.timed(name(), operation, () -> {
            try {
                return call.get();
            } catch (CircuitBreakerOpenException e) {
                throw new EgressUnavailableProblem("LiveKit is failing; requests are paused for a few seconds",
                        RETRY_AFTER, e);
            } catch (TimeoutException e) {
                throw new EgressUnavailableProblem("LiveKit did not answer in time", RETRY_AFTER, e);
            } catch (LiveKitTransientException e) {
                throw new EgressUnavailableProblem("LiveKit is unavailable", RETRY_AFTER, e);
            } catch (LiveKitOutcomeUnknownException e) {
                throw new EgressUnavailableProblem("LiveKit did not confirm the " + operation.replace('_', ' '),
                        RETRY_AFTER, e);
            } catch (LiveKitRejectedException e) {
                throw new EgressRejectedProblem("LiveKit refused the " + operation.replace('_', ' ') + " request ("
                        + e.error().code() + ")");
            }
        });
    }
}
