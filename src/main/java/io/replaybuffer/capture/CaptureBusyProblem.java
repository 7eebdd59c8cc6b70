package io.replaybuffer.capture;

import io.replaybuffer.platform.error.ProblemException;

/** This replica already has as many clip builds running and waiting as it allows. */
public class CaptureBusyProblem extends ProblemException {

    public CaptureBusyProblem(String detail) {
        super("capture-busy", "Capture queue full", 503, detail);
    }

    @Override
    public java.time.Duration retryAfter() {
        return java.time.Duration.ofSeconds(5);
    }
}
