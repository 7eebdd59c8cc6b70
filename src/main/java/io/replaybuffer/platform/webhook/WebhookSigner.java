package io.replaybuffer.platform.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.util.Base64;

/**
 * Signs a delivery as the Standard Webhooks specification asks: {@code v1,} + base64 HMAC-SHA256 of
 * {@code id.timestamp.body} under the key given as {@code whsec_} + base64. The arithmetic is the specification
 * project's own Java library (com.standardwebhooks); this class only checks the secret up front.
 */
final class WebhookSigner {

    static final String PREFIX = "whsec_";
    /** 128 bits: shorter keys are guessable offline from one captured delivery. */
    static final int MIN_KEY_BYTES = 16;

    private final Webhook webhook;

    private WebhookSigner(Webhook webhook) {
        this.webhook = webhook;
    }

    /** The signer for a {@code whsec_} secret; refuses a missing prefix, bad base64 or a short key. */
    static WebhookSigner of(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new InvalidWebhookSettingsException("REPLAY_WEBHOOK_SECRET must be whsec_ followed by base64");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidWebhookSettingsException("REPLAY_WEBHOOK_SECRET is not valid base64 after whsec_");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new InvalidWebhookSettingsException("REPLAY_WEBHOOK_SECRET must hold at least " + MIN_KEY_BYTES
                    + " bytes (e.g. whsec_$(openssl rand -base64 32))");
        }
        return new WebhookSigner(new Webhook(key));
    }

    /** The {@code webhook-signature} header value for one attempt. */
    String sign(String id, long epochSecond, String body) {
        try {
            return webhook.sign(id, epochSecond, body);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e); // only a broken JVM lacks it
        }
    }
}
