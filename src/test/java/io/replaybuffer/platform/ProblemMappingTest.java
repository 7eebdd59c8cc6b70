package io.replaybuffer.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Tokens;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProblemMappingTest {

    private static RequestSpecification authed() {
        return given().header("Authorization", Tokens.bearer(Tokens.user("problem-user")));
    }

    @Test
    void unknownRouteIsNotFoundProblem() {
        authed().when().get("/api/v1/no-such-thing")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("not-found")).body("title", notNullValue()).body("detail", notNullValue());
    }

    @Test
    void unknownRouteOutsideTheApiIsProblemToo() {
        given().when().get("/definitely/not/here")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void wrongMethodIsProblem() {
        authed().when().delete("/api/v1/quota")
                .then().statusCode(405).contentType("application/problem+json").body("type", equalTo("method-not-allowed"));
    }

    @Test
    void wrongMediaTypeIsProblem() {
        authed().contentType("text/plain").body("name=x").when().post("/api/v1/test-probe")
                .then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("unsupported-media-type"));
    }

    @Test
    void malformedJsonIsProblem() {
        authed().contentType("application/json").body("{\"name\": ").when().post("/api/v1/test-probe")
                .then().statusCode(400).contentType("application/problem+json").body("type", equalTo("malformed-json"));
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        authed().contentType("application/json").body("{\"name\":\"a\",\"count\":\"many\"}").when().post("/api/v1/test-probe")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("invalid-request")).body("errors[0].field", equalTo("count"));
    }

    @Test
    void validationErrorsNameTheFields() {
        authed().contentType("application/json").body("{\"name\":\" \",\"count\":99}").when().post("/api/v1/test-probe")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("invalid-request"))
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("count", "name"))
                .body("detail", containsString("count"));
    }

    @Test
    void unexpectedErrorsLeakNothing() {
        authed().contentType("application/json").body("{\"name\":\"boom\",\"count\":1}").when().post("/api/v1/test-probe")
                .then().statusCode(500).contentType("application/problem+json")
                .body("type", equalTo("internal-error")).body("reference", notNullValue())
                .body(not(containsString("secret"))).body(not(containsString("/var/lib")))
                .body(not(containsString("Exception")));
    }
}
