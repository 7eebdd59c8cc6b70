package io.replaybuffer.egress;

import java.util.List;
import java.util.Optional;

/** Starts, stops and lists Track Composite egresses writing HLS segments: LiveKit, or the simulated egress. */
public interface EgressGateway {

    /** Starts recording; returns the egress id and the state LiveKit reported. */
    EgressUpdate start(RecordingRequest request);

    /** Stops an egress; returns its state after the request, or empty when it had already ended (also success). */
    Optional<EgressUpdate> stop(String egressId);

    /** Every egress still running (STARTING, ACTIVE or ENDING) that writes into our segments volume. */
    List<EgressUpdate> active();

    /** One egress by id, whatever its state; empty when the server no longer knows it. */
    Optional<EgressUpdate> find(String egressId);

    /** Human name for logs and health: "livekit" or "simulated". */
    String name();
}
