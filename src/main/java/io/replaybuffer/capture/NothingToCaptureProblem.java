package io.replaybuffer.capture;

import io.replaybuffer.platform.error.ProblemException;

/** The buffer holds no footage in the window asked for. */
public class NothingToCaptureProblem extends ProblemException {

    public NothingToCaptureProblem(String detail) {
        super("nothing-to-capture", "Nothing to capture", 409, detail);
    }
}
