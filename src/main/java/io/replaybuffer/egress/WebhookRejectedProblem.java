package io.replaybuffer.egress;

import io.replaybuffer.platform.error.ProblemException;

/** A webhook whose signature or body hash does not verify: it is not from our LiveKit, and nothing changes. */
public class WebhookRejectedProblem extends ProblemException {

    public WebhookRejectedProblem(String detail) {
        super("webhook-rejected", "Webhook rejected", 401, detail);
    }
}
