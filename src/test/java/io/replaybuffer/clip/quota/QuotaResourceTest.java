package io.replaybuffer.clip.quota;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Tokens;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class QuotaResourceTest {

    @Test
    void newUserHasConfiguredDefaults() {
        given().header("Authorization", Tokens.bearer(Tokens.user("quota-" + UUID.randomUUID())))
                .when().get("/api/v1/quota")
                .then().statusCode(200)
                .body("usedBytes", equalTo(0)).body("clipCount", equalTo(0))
                .body("limitBytes", equalTo(5368709120L)).body("limitClips", equalTo(500));
    }

    @Test
    void readsTheCallersRowAndOverrides() {
        String user = "quota-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            UserQuota quota = new UserQuota();
            quota.userId = user;
            quota.usedBytes = 1234;
            quota.usedClips = 2;
            quota.limitClips = 7;
            quota.updatedAt = Instant.now();
            quota.persist();
        });
        given().header("Authorization", Tokens.bearer(Tokens.user(user)))
                .when().get("/api/v1/quota")
                .then().statusCode(200)
                .body("usedBytes", equalTo(1234)).body("clipCount", equalTo(2))
                .body("limitBytes", equalTo(5368709120L)).body("limitClips", equalTo(7));
        // Another user's row is not the caller's.
        given().header("Authorization", Tokens.bearer(Tokens.user(user + "-other")))
                .when().get("/api/v1/quota")
                .then().statusCode(200).body("usedBytes", equalTo(0));
    }
}
