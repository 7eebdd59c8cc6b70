package io.replaybuffer.clip;

import io.replaybuffer.platform.error.ProblemException;

/** A genuine share link whose clip's links were revoked since it was made (or the clip was made private). */
public class LinkRevokedProblem extends ProblemException {

    public LinkRevokedProblem() {
        super("link-revoked", "Link revoked", 410, "The owner revoked this share link; ask them for a new one");
    }
}
