package io.replaybuffer.egress.livekit;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import livekit.LivekitEgress;
import livekit.LivekitModels;

/** The four LiveKit operations the service uses, with LiveKit's "already done" answers read as success. */
@ApplicationScoped
class LiveKitApi {

    private final LiveKitClients clients;
    private final TwirpCalls calls;

    LiveKitApi(LiveKitClients clients, TwirpCalls calls) {
        this.clients = clients;
        this.calls = calls;
    }

    LivekitEgress.EgressInfo startTrackComposite(String room, LivekitEgress.SegmentedFileOutput output,
            String audioTrackId, String videoTrackId, LivekitEgress.EncodingOptionsPreset preset) {
        return calls.execute(() -> clients.egress().startTrackCompositeEgress(room, output, audioTrackId,
                videoTrackId, preset, null), TwirpCalls.Idempotence.ONCE);
    }

    /** Empty when the egress had already ended: LiveKit answers failed_precondition, which counts as stopped. */
    Optional<LivekitEgress.EgressInfo> stopEgress(String egressId) {
        try {
            return Optional.of(calls.execute(() -> clients.egress().stopEgress(egressId), TwirpCalls.Idempotence.SAFE));
        } catch (LiveKitRejectedException e) {
            if ("failed_precondition".equals(e.error().code()) || "not_found".equals(e.error().code())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Egresses, filtered by room and/or id when given (null for any). */
    List<LivekitEgress.EgressInfo> listEgress(String room, String egressId, boolean activeOnly) {
        return calls.execute(() -> clients.egress().listEgress(room, egressId, activeOnly), TwirpCalls.Idempotence.SAFE);
    }

    /** Empty when the room or the participant does not exist. */
    Optional<LivekitModels.ParticipantInfo> getParticipant(String room, String identity) {
        try {
            return Optional.of(calls.execute(() -> clients.rooms().getParticipant(room, identity), TwirpCalls.Idempotence.SAFE));
        } catch (LiveKitRejectedException e) {
            if ("not_found".equals(e.error().code())) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
