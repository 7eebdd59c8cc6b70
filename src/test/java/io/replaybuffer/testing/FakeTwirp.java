package io.replaybuffer.testing;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.util.Map;

/** The Twirp side of the fake: LiveKit's API-token check and its error answers. */
final class FakeTwirp {

    private FakeTwirp() {
    }

    /** A Twirp error: non-2xx with {@code {"code": ..., "msg": ...}}. */
    static final class Failure extends Exception {
        final int status;
        final String code;

        Failure(int status, String code, String msg) {
            super(msg);
            this.status = status;
            this.code = code;
        }
    }

    /** Checks the bearer JWT as LiveKit does: HS256 with the secret, issuer = API key, the video grant present. */
    static void authorize(String header, String grant, String apiKey, String secret) throws Failure {
        if (header == null || !header.startsWith("Bearer ")) {
            throw new Failure(401, "unauthenticated", "no token");
        }
        try {
            DecodedJWT jwt = JWT.require(Algorithm.HMAC256(secret)).withIssuer(apiKey).acceptLeeway(60).build()
                    .verify(header.substring(7));
            Map<String, Object> video = jwt.getClaim("video").asMap();
            if (video == null || !Boolean.TRUE.equals(video.get(grant))) {
                throw new Failure(403, "permission_denied", "token lacks " + grant);
            }
        } catch (com.auth0.jwt.exceptions.JWTVerificationException e) {
            throw new Failure(401, "unauthenticated", "invalid token");
        }
    }
}
