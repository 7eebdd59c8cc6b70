package io.replaybuffer.platform.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.replaybuffer.platform.config.ReplayConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Graceful degradation instead of collapse: at most {@link AdmissionLimit a limit} of API requests are worked on at
 * once; the next one is answered at once with 503 service-overloaded and Retry-After, on the event loop, before
 * authentication, JSON or the database. Without it, excess requests queue for worker threads and database connections
 * until every request is slow and then fails (database-unavailable after the pool's acquisition timeout); with it,
 * the requests let in keep a bounded latency and the refused ones cost microseconds.
 *
 * <p>The limit is REPLAY_MAX_IN_FLIGHT while the event loops keep time, and shrinks while they stay later than
 * REPLAY_MAX_EVENT_LOOP_DELAY for a whole period ({@link EventLoopDelay}): on a replica short of CPU the requests let
 * in would otherwise starve the loops that read and refuse the others, and those would wait, unanswered, in the
 * kernel. While they run late, the requests let in per period are limited as well ({@link PeriodBudget}): those
 * answered on the event loop itself never add up in flight.
 *
 * <p>Not counted, so never refused: health and metrics (outside /api), event streams (long-lived, limited by
 * REPLAY_MAX_STREAMS), clip downloads and preview segments (signed links a video element follows; the file is sent
 * by the kernel), and LiveKit's webhooks (LiveKit does not send them again).
 */
@ApplicationScoped
public class LoadShedder {

    private static final Logger LOG = Logger.getLogger(LoadShedder.class);
    /** Before {@link BodyLimit} (-3) and Quarkus' own body checks: a refusal here reads nothing. */
    private static final int FIRST = -4;
    /** How often the limit is adjusted: ten probes of each event loop per period. */
    static final Duration PERIOD = Duration.ofMillis(100);

    private final AdmissionLimit limit;
    private final PeriodBudget budget;
    /** Requests let in during the current period, for {@link PeriodBudget}. */
    private final AtomicInteger admitted = new AtomicInteger();
    private final EventLoopDelay delay;
    /** Rendered once: at several times its capacity, most of what a replica answers is this refusal. */
    private final RouterProblems.Prepared overloaded;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile EventLoopDelay.Reading lastReading = new EventLoopDelay.Reading(Duration.ZERO, Duration.ZERO);
    private final Counter shed;
    private final ScheduledExecutorService adjuster = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "admission-limit");
        thread.setDaemon(true);
        return thread;
    });

    LoadShedder(ReplayConfig config, EventLoopDelay delay, RouterProblems problems, MeterRegistry registry) {
        this.limit = new AdmissionLimit(config.maxInFlight(), config.maxEventLoopDelay());
        this.budget = new PeriodBudget(config.maxEventLoopDelay());
        this.delay = delay;
        this.overloaded = problems.prepared(new ServiceOverloadedProblem());
        this.shed = Counter.builder("replay_buffer_http_shed").description(
                "API requests refused with 503 service-overloaded because the in-flight limit was reached")
                .register(registry);
        Gauge.builder("replay_buffer_http_in_flight", inFlight, AtomicInteger::get)
                .description("API requests in progress that count against the in-flight limit").register(registry);
        Gauge.builder("replay_buffer_http_in_flight_limit", limit, AdmissionLimit::current)
                .description("API requests let in at once now: REPLAY_MAX_IN_FLIGHT, less while the event loops "
                        + "run late").register(registry);
        Gauge.builder("replay_buffer_http_admitted_per_second_limit", budget, b -> b.current() == PeriodBudget.UNLIMITED
                ? Double.POSITIVE_INFINITY : b.current() * (1000.0 / PERIOD.toMillis()))
                .description("API requests let in per second at most now (+Inf while the event loops keep time)")
                .register(registry);
        Gauge.builder("replay_buffer_event_loop_delay_seconds", this, shedder -> seconds(shedder.lastReading.standing()))
                .tag("probe", "least").description("How late the most-behind event loop ran its most punctual probe "
                        + "in the last 100 ms: a standing queue in front of the service when above zero")
                .register(registry);
        Gauge.builder("replay_buffer_event_loop_delay_seconds", this, shedder -> seconds(shedder.lastReading.worst()))
                .tag("probe", "worst").description("How late any event loop ran a probe at worst in the last 100 ms")
                .register(registry);
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(FIRST).handler(this::admit);
    }

    /**
     * On a thread of its own, not an event loop: the loops are what it judges, and measured on one core at 3x its
     * capacity, an adjustment scheduled on them ran twice in 30 s, so the limit stayed high while callers waited 10 s.
     */
    void adjust(@Observes StartupEvent start) {
        adjuster.scheduleAtFixedRate(this::periodEnded, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stop) {
        adjuster.shutdownNow();
    }

    private void periodEnded() {
        try {
            adjustLimit();
        } catch (RuntimeException e) { // a thrown exception would end the schedule for good
            LOG.errorf(e, "adjusting the in-flight limit failed; it stays at %d", limit.current());
        }
    }

    private void adjustLimit() {
        EventLoopDelay.Reading reading = delay.take();
        lastReading = reading;
        budget.periodEnded(reading.standing(), admitted.getAndSet(0));
        int before = limit.current();
        int after = limit.periodEnded(reading.standing());
        if (after != before) {
            LOG.debugf("limit %d -> %d: event loops at least %d ms late, %d in progress", before, after,
                    reading.standing().toMillis(), inFlight.get());
        }
        // Only the turns are logged: entering the narrowed state and leaving it, not every step.
        if (before == limit.ceiling() && after < before) {
            LOG.warnf("event loops at least %d ms late for 100 ms: admitting fewer API requests at once (%d, then "
                    + "less while it lasts)", reading.standing().toMillis(), after);
        } else if (after == limit.ceiling() && before < after) {
            LOG.infof("event loops keep time again: admitting up to %d API requests at once", after);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private void admit(RoutingContext context) {
        if (exempt(context.request().path())) {
            context.next();
            return;
        }
        if (admitted.incrementAndGet() > budget.current()) {
            admitted.decrementAndGet();
            refuse(context);
            return;
        }
        if (inFlight.incrementAndGet() > limit.current()) {
            inFlight.decrementAndGet();
            admitted.decrementAndGet();
            refuse(context);
            return;
        }
        // Called once, when the response has been sent or the connection dropped, whichever comes first.
        context.addEndHandler(ended -> inFlight.decrementAndGet());
        context.next();
    }

    private void refuse(RoutingContext context) {
        shed.increment();
        overloaded.answer(context);
    }

    static boolean exempt(String path) {
        return path.startsWith("/api/v1/events") || path.startsWith("/api/v1/livekit/")
                || path.endsWith("/download") || path.contains("/segments/");
    }
}
