package io.replaybuffer.capture;

import io.replaybuffer.platform.error.ProblemException;

/** The clip volume has no room for this clip; the buffer is untouched. */
public class InsufficientStorageProblem extends ProblemException {

    public InsufficientStorageProblem(String detail) {
        super("insufficient-storage", "Insufficient storage", 507, detail);
    }
}
