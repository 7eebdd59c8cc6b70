package io.replaybuffer.egress;

import livekit.LivekitEgress;

/** An egress' lifecycle as LiveKit reports it (EgressStatus), independent of the SDK's classes. */
public enum EgressState {
    STARTING, ACTIVE, ENDING, COMPLETE, FAILED, ABORTED, LIMIT_REACHED;

    /** Nothing more will be recorded. */
    public boolean ended() {
        return this == COMPLETE || this == FAILED || this == ABORTED || this == LIMIT_REACHED;
    }

    /** Writing footage, or about to: what a retried attempt reports once it is back. */
    public boolean recording() {
        return this == STARTING || this == ACTIVE;
    }

    public static EgressState of(LivekitEgress.EgressStatus status) {
        return switch (status) {
            case EGRESS_STARTING -> STARTING;
            case EGRESS_ACTIVE -> ACTIVE;
            case EGRESS_ENDING -> ENDING;
            case EGRESS_COMPLETE -> COMPLETE;
            case EGRESS_FAILED -> FAILED;
            case EGRESS_ABORTED -> ABORTED;
            case EGRESS_LIMIT_REACHED -> LIMIT_REACHED;
            default -> STARTING; // UNRECOGNIZED from a newer server: treat as not yet known
        };
    }
}
