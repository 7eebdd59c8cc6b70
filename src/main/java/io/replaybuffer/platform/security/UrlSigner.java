package io.replaybuffer.platform.security;

import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Signs URLs that work without a bearer token until they expire: HLS segment URLs for browser players (which cannot
 * add headers to every segment request) and clip share links. The signature covers the path and the expiry.
 */
@Singleton
public class UrlSigner {

    /** HMAC-SHA256 keys shorter than its 32-byte output weaken it; prod refuses them (ProductionSettings). */
    public static final int MIN_KEY_BYTES = 32;

    private static final Logger LOG = Logger.getLogger(UrlSigner.class);
    private final SecretKeySpec key;
    private final Clock clock;

    UrlSigner(ReplayConfig config, Clock clock) {
        this.clock = clock;
        byte[] secret = config.signingKey().filter(k -> !k.isBlank())
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> {
                    LOG.warn("REPLAY_SIGNING_KEY is not set: signed URLs use a random key and die with this process");
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    return random;
                });
        if (secret.length < MIN_KEY_BYTES) {
            LOG.warnf("REPLAY_SIGNING_KEY has %d bytes; use at least %d (the prod profile refuses to start with it)",
                    secret.length, MIN_KEY_BYTES);
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** {@code path?expires=...&signature=...}, valid until {@code expires}. */
    public String sign(String path, Instant expires) {
        return sign(path, 0, expires);
    }

    /**
     * A link for one {@code generation} of a resource (a clip's share links): it stops verifying for any other
     * generation, which is how links are revoked. Generation 0 signs exactly as {@link #sign(String, Instant)}, so
     * links handed out before generations existed stay valid; later ones carry {@code g} in the URL.
     */
    public String sign(String path, int generation, Instant expires) {
        long epoch = expires.getEpochSecond();
        return path + "?expires=" + epoch + (generation == 0 ? "" : "&g=" + generation)
                + "&signature=" + signature(path, generation, epoch);
    }

    /** What a presented link is worth. */
    public enum Verdict {
        VALID, EXPIRED, INVALID
    }

    /** Checks the signature first (a forged expiry is INVALID, not EXPIRED), then the time. */
    public Verdict check(String path, Long expires, String signature) {
        return check(path, 0, expires, signature);
    }

    /** As {@link #check(String, Long, String)}, for a link that says it was signed for {@code generation}. */
    public Verdict check(String path, int generation, Long expires, String signature) {
        if (expires == null || signature == null || generation < 0 || !MessageDigest.isEqual(
                signature(path, generation, expires).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.INVALID;
        }
        return clock.instant().getEpochSecond() > expires ? Verdict.EXPIRED : Verdict.VALID;
    }

    /** True when the signature matches the path and has not expired. */
    public boolean verify(String path, Long expires, String signature) {
        return check(path, expires, signature) == Verdict.VALID;
    }

    private String signature(String path, int generation, long expires) {
        String signed = path + "\n" + expires + (generation == 0 ? "" : "\n" + generation);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
