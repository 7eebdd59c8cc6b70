package io.replaybuffer.platform.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.replaybuffer.platform.config.ReplayConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Graceful degradation instead of collapse: at most {@code REPLAY_MAX_IN_FLIGHT} API requests are worked on at once;
 * the next one is answered at once with 503 service-overloaded and Retry-After, on the event loop, before
 * authentication, JSON or the database. Without it, excess requests queue for worker threads and database connections
 * until every request is slow and then fails (database-unavailable after the pool's acquisition timeout); with it,
 * the requests let in keep a bounded latency (their queue is at most this deep) and the refused ones cost microseconds.
 *
 * <p>Not counted, so never refused: health and metrics (outside /api), event streams (long-lived, limited by
 * REPLAY_MAX_STREAMS), clip downloads and preview segments (signed links a video element follows; the file is sent
 * by the kernel), and LiveKit's webhooks (LiveKit does not send them again).
 */
@ApplicationScoped
public class LoadShedder {

    /** Before {@link BodyLimit} (-3) and Quarkus' own body checks: a refusal here reads nothing. */
    private static final int FIRST = -4;

    private final int maxInFlight;
    private final RouterProblems problems;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;

    LoadShedder(ReplayConfig config, RouterProblems problems, MeterRegistry registry) {
        this.maxInFlight = config.maxInFlight();
        this.problems = problems;
        this.shed = Counter.builder("replay_buffer_http_shed").description(
                "API requests refused with 503 service-overloaded because REPLAY_MAX_IN_FLIGHT were in progress")
                .register(registry);
        Gauge.builder("replay_buffer_http_in_flight", inFlight, AtomicInteger::get)
                .description("API requests in progress that count against REPLAY_MAX_IN_FLIGHT").register(registry);
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(FIRST).handler(this::admit);
    }

    private void admit(RoutingContext context) {
        if (exempt(context.request().path())) {
            context.next();
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            shed.increment();
            context.response().end(problems.prepare(context, new ServiceOverloadedProblem()));
            return;
        }
        // Called once, when the response has been sent or the connection dropped, whichever comes first.
        context.addEndHandler(ended -> inFlight.decrementAndGet());
        context.next();
    }

    static boolean exempt(String path) {
        return path.startsWith("/api/v1/events") || path.startsWith("/api/v1/livekit/")
                || path.endsWith("/download") || path.contains("/segments/");
    }
}
