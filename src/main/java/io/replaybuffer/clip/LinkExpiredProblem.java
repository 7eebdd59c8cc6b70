package io.replaybuffer.clip;

import io.replaybuffer.platform.error.ProblemException;

/** A genuine share link whose time is up. */
public class LinkExpiredProblem extends ProblemException {

    public LinkExpiredProblem() {
        super("link-expired", "Link expired", 410, "This share link has expired; ask the owner for a new one");
    }
}
