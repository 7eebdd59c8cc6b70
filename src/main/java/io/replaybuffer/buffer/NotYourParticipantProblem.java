package io.replaybuffer.buffer;

import io.replaybuffer.platform.error.ProblemException;

/** A player may only record their own participant. */
public class NotYourParticipantProblem extends ProblemException {

    public NotYourParticipantProblem(String detail) {
        super("not-your-participant", "Not your participant", 403, detail);
    }
}
