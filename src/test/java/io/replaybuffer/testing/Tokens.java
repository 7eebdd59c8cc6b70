package io.replaybuffer.testing;

import io.smallrye.jwt.build.Jwt;
import java.util.Set;

/** Bearer tokens signed with the repository's development key, as scripts/dev-token makes them. */
public final class Tokens {

    private Tokens() {
    }

    public static String user(String userId) {
        return Jwt.subject(userId).upn(userId).groups(Set.of("user")).sign();
    }

    public static String admin(String userId) {
        return Jwt.subject(userId).upn(userId).groups(Set.of("user", "admin")).sign();
    }

    /** The game platform's backend (api.md, "Roles"). */
    public static String gameServer(String id) {
        return Jwt.subject(id).upn(id).groups(Set.of("game-server")).sign();
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
