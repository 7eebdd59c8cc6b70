package io.replaybuffer.platform.error;

/**
 * The resource does not exist, or the caller may not see it: both answer the same so ids cannot be probed.
 */
public class NotFoundProblem extends ProblemException {

    public NotFoundProblem(String what) {
        super("not-found", "Not found", 404, what + " not found");
    }
}
