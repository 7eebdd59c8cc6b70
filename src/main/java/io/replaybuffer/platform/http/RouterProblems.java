package io.replaybuffer.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replaybuffer.platform.error.Problem;
import io.replaybuffer.platform.error.ProblemException;
import io.replaybuffer.platform.error.ProblemMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers a refusal made in the HTTP router, below JAX-RS (a body too large, an overloaded replica), with the same
 * problem+json and Retry-After that {@link ProblemMapper} gives the ones thrown from resources.
 */
@ApplicationScoped
public class RouterProblems {

    private final ObjectMapper json;

    RouterProblems(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Sets the status and headers of {@code problem} on the response and returns its document, for the caller to
     * {@link HttpServerResponse#end(Buffer) end} the response with once it has added any headers of its own.
     */
    Buffer prepare(RoutingContext context, ProblemException problem) {
        Problem document = ProblemMapper.document(problem, context.request().path());
        HttpServerResponse response = context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        problem.headers().forEach(response::putHeader);
        Object retryAfter = document.getExtensions().get("retryAfterSeconds");
        if (retryAfter != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter.toString());
        }
        try {
            return Buffer.buffer(json.writeValueAsBytes(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serialises", e);
        }
    }
}
