package io.replaybuffer.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks signature, written from the specification (spec/standard-webhooks.md,
 * "Signature scheme" and "Verifying signatures") and kept apart from the service's signer, so a test that passes
 * proves the two agree rather than that one piece of code agrees with itself.
 */
public final class StandardWebhooksVerifier {

    /** The specification's example tolerance for {@code webhook-timestamp}. */
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final byte[] key;

    /** {@code secret} as the sender is configured: {@code whsec_} + base64 of the key. */
    public StandardWebhooksVerifier(String secret) {
        if (!secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("not a whsec_ secret");
        }
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    /**
     * True when one of the space-separated {@code v1,<base64>} signatures is the HMAC-SHA256 of {@code id.timestamp.body}
     * (compared in constant time) and the timestamp is within five minutes of {@code now}.
     */
    public boolean verify(String id, String timestamp, String body, String signatures, Instant now) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] expected = expected(id + "." + timestamp + "." + body);
        for (String candidate : signatures.split(" ")) {
            if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected,
                    candidate.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** The base64 signature of {@code content}, for checking against published vectors. */
    public String signature(String content) {
        return new String(expected(content), StandardCharsets.US_ASCII);
    }

    private byte[] expected(String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encode(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
