package io.replaybuffer.platform.http;

import io.replaybuffer.platform.error.ProblemException;

/** The request body is over the limit every endpoint shares ({@code quarkus.http.limits.max-body-size}). */
public class PayloadTooLargeProblem extends ProblemException {

    private final long limitBytes;

    public PayloadTooLargeProblem(long limitBytes) {
        super("payload-too-large", "Payload too large", 413,
                "The request body is larger than the " + limitBytes + " bytes this service accepts");
        this.limitBytes = limitBytes;
    }

    @Override
    public java.util.Map<String, Object> extensions() {
        return java.util.Map.of("limitBytes", limitBytes);
    }
}
