package io.replaybuffer.platform.storage;

import io.replaybuffer.platform.error.ProblemException;

/** A volume is too full for what was asked (a clip, a new buffer); nothing already stored is touched. */
public class InsufficientStorageProblem extends ProblemException {

    public InsufficientStorageProblem(String detail) {
        super("insufficient-storage", "Insufficient storage", 507, detail);
    }
}
