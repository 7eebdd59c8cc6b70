package io.replaybuffer.platform.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is asking: the JWT's {@code sub} is the user id; the {@code admin} group may act on anyone's
 * resources, the {@code game-server} group for any player. */
@RequestScoped
public class CurrentUser {

    public static final String ADMIN = "admin";

    /** The group of the game platform's backend (api.md, "Roles"). */
    public static final String GAME_SERVER = "game-server";

    @Inject
    JsonWebToken jwt;

    @Inject
    SecurityIdentity identity;

    /** The caller's user id; only called behind {@code @Authenticated}, so a missing subject is an auth failure. */
    public String id() {
        return caller().id();
    }

    /** When the caller's token stops being valid, if it says. */
    public Optional<Instant> tokenExpiresAt() {
        Object exp = jwt.getClaim(Claims.exp.name());
        if (exp instanceof Number seconds) {
            return Optional.of(Instant.ofEpochSecond(seconds.longValue()));
        }
        return exp == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond(Long.parseLong(exp.toString())));
    }

    public Caller caller() {
        return of(identity);
    }

    /**
     * The caller an identity stands for, where the request scope's blocking view of it cannot be used: a handler
     * on an event loop awaits the identity ({@code QuarkusHttpUser.getSecurityIdentity}). A signed-in
     * caller is the token's {@code sub} with its two groups; anyone else is a 401.
     */
    public static Caller of(SecurityIdentity identity) {
        String subject = identity.getPrincipal() instanceof JsonWebToken token ? token.getSubject() : null;
        if (identity.isAnonymous() || subject == null || subject.isBlank()) {
            throw new UnauthorizedException();
        }
        return new Caller(subject, identity.hasRole(ADMIN), identity.hasRole(GAME_SERVER));
    }
}
