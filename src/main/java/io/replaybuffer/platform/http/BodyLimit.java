package io.replaybuffer.platform.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body whose declared length is over {@code quarkus.http.limits.max-body-size} before a byte of it is read
 * (api.md: webhooks over 1 MiB are 413 "before they are read"). Quarkus makes the same check, but answers with an
 * empty body; this route runs just before it and answers problem+json. A body without a declared length (chunked)
 * is cut off at the same limit while it is read, and JAX-RS reports that as 413 too.
 */
@ApplicationScoped
public class BodyLimit {

    /** Quarkus' own check is route order -2. */
    private static final int BEFORE_QUARKUS_CHECK = -3;

    private final long maxBytes;
    private final RouterProblems problems;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max, RouterProblems problems) {
        this.maxBytes = max.asLongValue();
        this.problems = problems;
    }

    void install(@Observes Router router) {
        router.route().order(BEFORE_QUARKUS_CHECK).handler(this::refuseDeclaredOversize);
    }

    private void refuseDeclaredOversize(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null || declaredLength(declared) <= maxBytes) {
            context.next();
            return;
        }
        Buffer body = problems.prepare(context, new PayloadTooLargeProblem(maxBytes));
        if (context.request().version() != HttpVersion.HTTP_2) {
            // The unread body would otherwise be parsed as the next request; HTTP/2 resets just the stream.
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        context.response().end(body);
    }

    /** A malformed length is the HTTP layer's to refuse; only a well-formed, too-large one is ours. */
    private static long declaredLength(String value) {
        String digits = value.strip();
        if (!digits.matches("\\d{1,19}")) {
            return digits.matches("\\d+") ? Long.MAX_VALUE : -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException beyondLong) {
            return Long.MAX_VALUE;
        }
    }
}
