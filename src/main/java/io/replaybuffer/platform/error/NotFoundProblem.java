package io.replaybuffer.platform.error;

/**
 * The resource does not exist, or the caller may not see it: both answer the same so ids cannot be probed.
 */
public class NotFoundProblem extends ProblemException {

    public NotFoundProblem(String what) {
        super(what + " not found");
    }

    @Override
    public String type() {
        return "not-found";
    }

    @Override
    public String title() {
        return "Not found";
    }

    @Override
    public int status() {
        return 404;
    }
}
