package io.replaybuffer.egress;

import java.time.Instant;

/**
 * "Egress X is now in state Y": what the egress side tells the rest of the service, from a webhook, a reconcile
 * pass or the simulated egress. {@code segmentDir} is the buffer directory the egress writes into when known, which
 * lets an update that overtakes the start call's answer still find its buffer.
 */
public record EgressUpdate(String egressId, String segmentDir, EgressState state, String error, Instant at,
        Source source) {

    /** Where the news came from, for logs and metrics. */
    public enum Source {
        WEBHOOK, RECONCILE, SIMULATED, START, STOP
    }
}
