package io.replaybuffer.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Tokens;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthTest {

    @Test
    void noTokenIsUnauthorizedProblem() {
        given().when().get("/api/v1/quota")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("unauthorized"))
                .body("status", equalTo(401))
                .body("instance", equalTo("/api/v1/quota"));
    }

    @Test
    void garbageTokenIsUnauthorized() {
        given().header("Authorization", "Bearer not.a.jwt").when().get("/api/v1/quota")
                .then().statusCode(401).contentType("application/problem+json").body("type", equalTo("unauthorized"));
    }

    @Test
    void tokenSignedWithAnotherKeyIsUnauthorized() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.subject("mallory").issuer("replay-buffer-dev").sign(generator.generateKeyPair().getPrivate());
        given().header("Authorization", Tokens.bearer(forged)).when().get("/api/v1/quota")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void expiredTokenIsUnauthorized() {
        String expired = Jwt.subject("alice").issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign();
        given().header("Authorization", Tokens.bearer(expired)).when().get("/api/v1/quota")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void wrongIssuerIsUnauthorized() {
        String token = Jwt.subject("alice").issuer("someone-else").sign();
        given().header("Authorization", Tokens.bearer(token)).when().get("/api/v1/quota")
                .then().statusCode(401);
    }

    @Test
    void tokenWithoutSubjectIsUnauthorized() {
        String token = Jwt.claims().upn("alice").sign();
        given().header("Authorization", Tokens.bearer(token)).when().get("/api/v1/quota")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void goodTokenIsServed() {
        given().header("Authorization", Tokens.bearer(Tokens.user("auth-good"))).when().get("/api/v1/quota")
                .then().statusCode(200).contentType("application/json");
    }
}
