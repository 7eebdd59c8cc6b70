package io.replaybuffer.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replaybuffer.platform.error.ProblemException;
import io.replaybuffer.platform.error.ProblemMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * Answers a refusal or failure in the HTTP router, below JAX-RS (a body too large, an overloaded replica, a clip
 * file's download), with the same problem+json and Retry-After that {@link ProblemMapper} gives the ones thrown from
 * resources.
 */
@ApplicationScoped
public class RouterProblems {

    private final ObjectMapper json;

    RouterProblems(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Ends the response with the problem {@code failure} maps to, as {@link ProblemMapper} maps it for a resource;
     * when the response has already begun (a file being sent) or ended, all that is left is to close the connection,
     * so the client sees a short body rather than a whole one.
     */
    public void fail(RoutingContext context, Throwable failure) {
        HttpServerResponse response = context.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            context.request().connection().close();
            return;
        }
        response.end(prepare(response, ProblemMapper.forRouter(failure, context.request().path())));
    }

    /**
     * Sets the status and headers of {@code problem} on the response and returns its document, for the caller to
     * {@link HttpServerResponse#end(Buffer) end} the response with once it has added any headers of its own.
     */
    Buffer prepare(RoutingContext context, ProblemException problem) {
        return prepare(context.response(), ProblemMapper.forRouter(problem, context.request().path()));
    }

    /** The mapper's answer on a Vert.x response: its status and headers set, its document returned. */
    private Buffer prepare(HttpServerResponse response, Response answer) {
        response.setStatusCode(answer.getStatus());
        answer.getStringHeaders().forEach(response::putHeader);
        try {
            return Buffer.buffer(json.writeValueAsBytes(answer.getEntity()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serialises", e);
        }
    }
}
