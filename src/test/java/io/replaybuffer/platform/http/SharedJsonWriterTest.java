package io.replaybuffer.platform.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A {@link SharedJson} body goes out as the REST layer's Jackson would write it (timestamps, nulls left out, escapes,
 * UTF-8), rendered once per instance: the REST layer picks {@link SharedJsonWriter} for it, and later requests get
 * the very bytes rendered first.
 */
@QuarkusTest
class SharedJsonWriterTest {

    @Inject
    SharedJsonWriter writer;

    @Inject
    ObjectMapper mapper;

    @Test
    void aSharedBodyIsWrittenAsJacksonWritesItAndRenderedOnce() throws Exception {
        byte[] first = given().get("/api/v1/test-shared-json").then().statusCode(200)
                .contentType("application/json").extract().asByteArray();
        byte[] second = given().get("/api/v1/test-shared-json").then().statusCode(200).extract().asByteArray();

        assertThat(new String(first, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(mapper.writeValueAsString(SharedJsonProbeResource.SHARED))
                .contains("\"at\":\"2026-11-28T10:15:30.123456Z\"", "\\\"one\\\"", "ü").doesNotContain("absent");
        assertThat(second).isEqualTo(first);
        byte[] kept = writer.rendered(SharedJsonProbeResource.SHARED);
        assertThat(kept).as("rendered by the requests' writer").isEqualTo(first);
        assertThat(writer.bytes(SharedJsonProbeResource.SHARED)).as("never rendered again").isSameAs(kept);
    }
}
