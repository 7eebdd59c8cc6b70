package io.replaybuffer.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The bearer-token parser every request's authentication goes through, remembering each token it verified until
 * that token expires: a client sends the same token with every request for its lifetime, and verifying it again
 * each time (the RSA signature, parsing its JSON twice) costs more CPU than the rest of a small API request. Keyed
 * by the whole token, so a changed byte is a different token and is verified; a failed verification is never
 * remembered. The claims are immutable, so sharing the parsed token between requests is safe.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class VerifiedTokens implements JWTParser {

    /** A token is verified again at least this often, whatever its expiry says. */
    private static final Duration LONGEST = Duration.ofMinutes(10);

    private final DefaultJWTParser delegate;
    private final Clock clock;
    private final Cache<String, JsonWebToken> verified;

    VerifiedTokens(DefaultJWTParser delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(20_000).expireAfter(new UntilExpiry()).build();
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken known = verified.getIfPresent(token);
        if (known != null) {
            return known;
        }
        JsonWebToken fresh = delegate.parse(token);
        verified.put(token, fresh);
        return fresh;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }

    /** Each entry lives until its token's {@code exp} (never past {@link #LONGEST}). */
    private final class UntilExpiry implements Expiry<String, JsonWebToken> {

        @Override
        public long expireAfterCreate(String token, JsonWebToken jwt, long currentTime) {
            long nowSeconds = clock.instant().getEpochSecond();
            long left = jwt.getExpirationTime() > 0 ? jwt.getExpirationTime() - nowSeconds : LONGEST.toSeconds();
            return TimeUnit.SECONDS.toNanos(Math.max(0, Math.min(left, LONGEST.toSeconds())));
        }

        @Override
        public long expireAfterUpdate(String token, JsonWebToken jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(String token, JsonWebToken jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
