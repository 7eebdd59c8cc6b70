package io.replaybuffer.testing;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Webhooks as LiveKit sends them (livekit/protocol {@code webhook/url_notifier.go}): protobuf JSON
 * ({@code protojson.Marshal}: lowerCamelCase names, zero values omitted, int64 as strings, enums by name), POSTed
 * with {@code Content-Type: application/webhook+json} and {@code User-Agent: LiveKit} ({@code webhook/consts.go}),
 * and {@code Authorization} carrying the raw HS256 JWT (no "Bearer") whose {@code sha256} claim is the body's
 * base64 SHA-256, issuer the API key, valid for 5 minutes ({@code auth.NewAccessToken(...).SetValidFor(5m)}).
 */
final class LiveKitWebhooks {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LiveKitWebhooks() {
    }

    /** HS256 JWT, issuer = API key, claim sha256 = base64(SHA-256(body)). */
    static String sign(String apiKey, String body, String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            Instant now = Instant.now();
            return JWT.create().withIssuer(apiKey).withClaim("sha256", Base64.getEncoder().encodeToString(digest))
                    .withNotBefore(Date.from(now)).withIssuedAt(Date.from(now))
                    .withExpiresAt(Date.from(now.plusSeconds(300)))
                    .sign(Algorithm.HMAC256(secret));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs {@code body} with {@code authorization} (null for none); returns the HTTP status. */
    static int post(URI target, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .header("Content-Type", "application/webhook+json")
                .header("User-Agent", "LiveKit")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** LiveKit's JSON form of a protobuf message (camelCase, defaults omitted). */
    static String json(Message message) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(message);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
