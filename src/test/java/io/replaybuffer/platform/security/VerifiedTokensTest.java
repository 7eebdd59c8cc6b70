package io.replaybuffer.platform.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.Tokens;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A token verified once is not verified again for its lifetime, and nothing else gets in through that: a token that
 * differs in any byte, an expired one, or one signed with another key is verified, and refused.
 */
@QuarkusTest
class VerifiedTokensTest {

    @Inject
    JWTParser parser;

    @Test
    void theSameTokenIsVerifiedOnce() throws Exception {
        String token = Tokens.user(Api.uniqueUser("verified"));
        assertThat(parser).isInstanceOf(VerifiedTokens.class);
        assertThat(parser.parse(token)).as("remembered").isSameAs(parser.parse(token));
        String other = Tokens.user(Api.uniqueUser("verified"));
        assertThat(parser.parse(other)).isNotSameAs(parser.parse(token));
    }

    @Test
    void aRememberedTokenStillServesAndNothingElseDoes() {
        String user = Api.uniqueUser("verified");
        String token = Tokens.user(user);
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + token).get("/api/v1/quota").then().statusCode(200);
        }
        // The same header and claims with one signature byte changed: verified, and refused.
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        given().header("Authorization", "Bearer " + tampered).get("/api/v1/quota").then().statusCode(401);
        String expired = Jwt.subject(user).groups(Set.of("user")).issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign();
        given().header("Authorization", "Bearer " + expired).get("/api/v1/quota").then().statusCode(401);
        assertThatThrownBy(() -> parser.parse(expired)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> parser.parse(tampered)).as("a refusal is not remembered either")
                .isInstanceOf(ParseException.class);
    }
}
