package io.replaybuffer.platform.http;

import io.replaybuffer.platform.error.ProblemException;

/**
 * The connection closed before the request's body arrived. Nobody is left to read this answer; it exists so that a
 * caller hanging up is answered (and counted in the access metrics) as the caller's 4xx rather than as the service's
 * 500 with an error logged.
 */
public class ClientClosedProblem extends ProblemException {

    public ClientClosedProblem() {
        super("request-incomplete", "Request incomplete", 400,
                "The connection closed before the request body arrived; nothing was done");
    }
}
