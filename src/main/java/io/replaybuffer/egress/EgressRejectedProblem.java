package io.replaybuffer.egress;

import io.replaybuffer.platform.error.ProblemException;

/** LiveKit answered, but refused the request: a bad gateway from the client's point of view. */
public class EgressRejectedProblem extends ProblemException {

    public EgressRejectedProblem(String detail) {
        super("livekit-error", "LiveKit refused the request", 502, detail);
    }
}
