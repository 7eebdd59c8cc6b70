package io.replaybuffer.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.platform.error.ProblemMapper;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The overload refusal rendered once ({@link RouterProblems#prepared}) is, for any request path, the document the
 * mapper and the application's Jackson render for it each time, byte for byte where the path is ASCII (beyond it,
 * either may write a character as itself or as its escape): the path is escaped as a JSON string, and nothing else
 * changes between answers.
 */
@QuarkusTest
class PreparedProblemTest {

    @Inject
    RouterProblems problems;

    @Inject
    ObjectMapper json;

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/clips", "/api/v1/clips/\"quoted\"", "/api/v1/back\\slash", "/api/v1/tab\there",
            "/api/v1/ünïcödé/😀", "/api/v1/nul\u0000and\u001fcontrol", "", "/.prepared-problem-instance"})
    void theDocumentIsWhatTheMapperRendersForThatPath(String path) throws Exception {
        ServiceOverloadedProblem problem = new ServiceOverloadedProblem();
        byte[] rendered = json.writeValueAsBytes(ProblemMapper.forRouter(problem, path).getEntity());

        byte[] prepared = problems.prepared(problem).document(path).getBytes();

        assertThat(json.readTree(prepared)).isEqualTo(json.readTree(rendered));
        assertThat(json.readTree(prepared).get("instance").asText()).isEqualTo(path);
        if (path.chars().allMatch(c -> c < 0x80)) { // beyond ASCII, Jackson may write a character or its escape
            assertThat(new String(prepared, StandardCharsets.UTF_8))
                    .isEqualTo(new String(rendered, StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyAnswerIsItsOwnBuffer() {
        RouterProblems.Prepared prepared = problems.prepared(new ServiceOverloadedProblem());

        assertThat(prepared.document("/a").toString()).contains("\"instance\":\"/a\"");
        assertThat(prepared.document("/b").toString()).contains("\"instance\":\"/b\"").doesNotContain("/a\"");
    }
}
