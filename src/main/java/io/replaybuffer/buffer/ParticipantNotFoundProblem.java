package io.replaybuffer.buffer;

import io.replaybuffer.platform.error.ProblemException;

/** LiveKit has no such participant in that room. */
public class ParticipantNotFoundProblem extends ProblemException {

    public ParticipantNotFoundProblem(String detail) {
        super("participant-not-found", "Participant not found", 404, detail);
    }
}
