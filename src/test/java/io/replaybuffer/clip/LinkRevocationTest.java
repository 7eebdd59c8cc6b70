package io.replaybuffer.clip;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Share links can be taken back: all at once, or by making the clip private; later links work again. */
@QuarkusTest
class LinkRevocationTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    private Player owner;
    private String clipId;

    @BeforeEach
    void aReadyClip() throws Exception {
        Clips.ReadyClip clip = Clips.ready(fake, "revoke", 1, Map.of("durationSeconds", 5));
        owner = clip.owner();
        clipId = clip.id();
    }

    private String link() {
        return as(owner.user()).contentType("application/json").body(Map.of("expiresInSeconds", 3600))
                .post("/api/v1/clips/" + clipId + "/links").then().statusCode(200).extract().path("url");
    }

    private static void revoked(String url) {
        RestAssured.given().get(url).then().statusCode(410).contentType("application/problem+json")
                .body("type", equalTo("link-revoked")).body("detail", notNullValue());
    }

    @Test
    void deletingTheLinksRevokesEveryLinkMadeSoFar() {
        String first = link();
        String second = link();
        RestAssured.given().get(first).then().statusCode(200).contentType("video/mp4");

        as("stranger").delete("/api/v1/clips/" + clipId + "/links").then().statusCode(404);
        RestAssured.given().get(first).then().statusCode(200);
        as(owner.user()).delete("/api/v1/clips/" + clipId + "/links").then().statusCode(204);
        revoked(first);
        revoked(second);

        String fresh = link();
        assertThat(fresh).isNotIn(first, second);
        RestAssured.given().get(fresh).then().statusCode(200).contentType("video/mp4");
        // A revoked link cannot be revived by claiming the current generation: the signature covers it.
        RestAssured.given().get(first.replace("signature=", "g=" + generationOf(fresh) + "&signature="))
                .then().statusCode(404);
        as(owner.user()).get("/api/v1/clips/" + clipId + "/download").then().statusCode(200);
    }

    @Test
    void makingAClipPrivateRevokesItsLinksAndOtherChangesDoNot() {
        as(owner.user()).contentType("application/json").body(Map.of("visibility", "PUBLIC"))
                .patch("/api/v1/clips/" + clipId).then().statusCode(200);
        String shared = link();
        as(owner.user()).contentType("application/json").body(Map.of("title", "renamed", "visibility", "UNLISTED"))
                .patch("/api/v1/clips/" + clipId).then().statusCode(200);
        RestAssured.given().get(shared).then().statusCode(200);

        as(owner.user()).contentType("application/json").body(Map.of("visibility", "PRIVATE"))
                .patch("/api/v1/clips/" + clipId).then().statusCode(200);
        revoked(shared);
        String again = link();
        as(owner.user()).contentType("application/json").body(Map.of("visibility", "PRIVATE", "title", "still private"))
                .patch("/api/v1/clips/" + clipId).then().statusCode(200);
        RestAssured.given().get(again).then().statusCode(200); // already private: nothing to revoke
    }

    @Test
    void theOpenApiDocumentHasTheRevocation() {
        RestAssured.given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/clips/{id}/links'.delete.summary", notNullValue())
                .body("paths.'/api/v1/clips/{id}/links'.delete.responses.'204'", notNullValue())
                .body("paths.'/api/v1/clips/{id}/links'.post.summary", notNullValue());
    }

    private static String generationOf(String url) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]g=(\\d+)").matcher(url);
        return m.find() ? m.group(1) : "0";
    }
}
