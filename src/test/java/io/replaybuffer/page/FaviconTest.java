package io.replaybuffer.page;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The player page names an icon that is served, so the browser's icon request is no console error (a 404). */
@QuarkusTest
class FaviconTest {

    @Test
    void thePageLinksAnIconThatIsServed() {
        String page = given().get("/").then().statusCode(200).extract().asString();
        Matcher icon = Pattern.compile("<link rel=\"icon\" href=\"([^\"]+)\" type=\"([^\"]+)\">").matcher(page);
        assertThat(icon.find()).as("a <link rel=icon> in the page").isTrue();
        String body = given().get("/" + icon.group(1)).then().statusCode(200)
                .contentType(icon.group(2)).extract().asString();
        assertThat(body).startsWith("<svg").contains("viewBox");
    }
}
