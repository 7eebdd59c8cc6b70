package io.replaybuffer.clip;

import io.replaybuffer.platform.error.ProblemException;

/** The clip is still being built (or failed): it has no file to serve or share yet. */
public class ClipNotReadyProblem extends ProblemException {

    public ClipNotReadyProblem(String detail) {
        super("clip-not-ready", "Clip not ready", 409, detail);
    }
}
