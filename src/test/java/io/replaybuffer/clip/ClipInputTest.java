package io.replaybuffer.clip;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile input around a READY clip: titles the database would choke on, and byte ranges from the odd corners. */
@QuarkusTest
class ClipInputTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    private Player owner;
    private String clipId;
    private long size;

    @BeforeEach
    void aReadyClip() throws Exception {
        Clips.ReadyClip clip = Clips.ready(fake, "input", 1, Map.of("durationSeconds", 5, "title", "Original"));
        owner = clip.owner();
        clipId = clip.id();
        size = clip.sizeBytes();
    }

    @Test
    void renamingToBlankOrControlCharactersIsInvalidAndChangesNothing() {
        for (String title : new String[] {"    ", "\\t \\n", "a\\u0000b", "esc\\u001b[31m", "del\\u007f"}) {
            as(owner.user()).contentType("application/json").body("{\"title\": \"" + title + "\"}")
                    .when().patch("/api/v1/clips/" + clipId)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("invalid-request")).body("errors[0].field", equalTo("title"));
        }
        as(owner.user()).get("/api/v1/clips/" + clipId).then().body("title", equalTo("Original"));
        as(owner.user()).contentType("application/json").body(Map.of("title", "  Ace 🎯  "))
                .when().patch("/api/v1/clips/" + clipId).then().statusCode(200).body("title", equalTo("Ace 🎯"));
    }

    @Test
    void oddRangesFollowRfc9110() {
        String download = "/api/v1/clips/" + clipId + "/download";
        byte[] whole = as(owner.user()).get(download).then().statusCode(200).extract().asByteArray();
        assertThat(whole).hasSize((int) size);

        // Last before first: an invalid range, ignored (RFC 9110 §14.1.1, §14.2): the whole file, 200.
        byte[] ignored = as(owner.user()).header("Range", "bytes=5-3").get(download)
                .then().statusCode(200).header("Content-Range", org.hamcrest.Matchers.nullValue()).extract().asByteArray();
        assertThat(ignored).isEqualTo(whole);
        as(owner.user()).header("Range", "bytes=-").get(download).then().statusCode(200);

        // Numbers past a long: a first byte beyond any file is unsatisfiable; a last byte that far means "to the end".
        as(owner.user()).header("Range", "bytes=99999999999999999999-").get(download)
                .then().statusCode(416).contentType("application/problem+json")
                .body("type", equalTo("range-not-satisfiable")).header("Content-Range", "bytes */" + size);
        as(owner.user()).header("Range", "bytes=99999999999999999999-99999999999999999999999").get(download)
                .then().statusCode(416);
        byte[] toTheEnd = as(owner.user()).header("Range", "bytes=10-99999999999999999999").get(download)
                .then().statusCode(206).header("Content-Range", "bytes 10-" + (size - 1) + "/" + size)
                .extract().asByteArray();
        assertThat(toTheEnd).isEqualTo(java.util.Arrays.copyOfRange(whole, 10, whole.length));
        as(owner.user()).header("Range", "bytes=-99999999999999999999").get(download)
                .then().statusCode(206).header("Content-Range", "bytes 0-" + (size - 1) + "/" + size);
    }
}
