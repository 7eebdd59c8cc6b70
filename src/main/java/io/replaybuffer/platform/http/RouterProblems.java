package io.replaybuffer.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replaybuffer.platform.error.ProblemException;
import io.replaybuffer.platform.error.ProblemMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
        return Buffer.buffer(render(answer));
    }

    private byte[] render(Response answer) {
        try {
            return json.writeValueAsBytes(answer.getEntity());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serialises", e);
        }
    }

    /**
     * {@code problem}'s answer rendered once, as {@link #prepare} would render it each time, for a refusal sent most
     * often when the replica can least afford it ({@link LoadShedder}): only the request's path, the document's
     * {@code instance}, differs between answers.
     */
    Prepared prepared(ProblemException problem) {
        Response answer = ProblemMapper.forRouter(problem, Prepared.MARK);
        List<CharSequence> headers = new ArrayList<>();
        answer.getStringHeaders().forEach((name, values) -> values.forEach(value -> {
            headers.add(HttpHeaders.createOptimized(name));
            headers.add(HttpHeaders.createOptimized(value));
        }));
        return new Prepared(answer.getStatus(), headers.toArray(CharSequence[]::new), render(answer));
    }

    /**
     * A problem's status, headers and document, the document split where its {@code instance} goes. Answering with
     * it touches neither JAX-RS nor Jackson's object mapping: measured on one core with wrk, a refusal took three
     * quarters of the CPU it took rendered per request, most of the rest being the read and the write of the request.
     */
    static final class Prepared {

        /** The instance the document is rendered with once, to find where each answer's path goes. */
        static final String MARK = "/.prepared-problem-instance";

        private final int status;
        /** Name, value, name, value... */
        private final CharSequence[] headers;
        private final byte[] head;
        private final byte[] tail;

        private Prepared(int status, CharSequence[] headers, byte[] rendered) {
            this.status = status;
            this.headers = headers;
            String document = new String(rendered, StandardCharsets.UTF_8);
            int at = document.indexOf(MARK);
            if (at < 0) {
                throw new IllegalStateException("the problem document carries no instance");
            }
            this.head = document.substring(0, at).getBytes(StandardCharsets.UTF_8);
            this.tail = document.substring(at + MARK.length()).getBytes(StandardCharsets.UTF_8);
        }

        /** Ends the response with the problem, for this request's path. */
        void answer(RoutingContext context) {
            HttpServerResponse response = context.response().setStatusCode(status);
            for (int i = 0; i < headers.length; i += 2) {
                response.putHeader(headers[i], headers[i + 1]);
            }
            response.end(document(context.request().path()));
        }

        /** The document with {@code instance}, escaped as Jackson escapes a JSON string. */
        Buffer document(String instance) {
            byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(instance);
            return Buffer.buffer(head.length + escaped.length + tail.length).appendBytes(head).appendBytes(escaped)
                    .appendBytes(tail);
        }
    }
}
