package io.replaybuffer.platform.http;

import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the event loops have a standing queue: each one is handed a small task every {@link #PERIOD}, and the time
 * that task waited past its due moment is about the time a request arriving then waited before the router read it.
 *
 * <p>This is the queue that counting requests in progress cannot see. When request threads take the CPU, the event
 * loops that read requests get less of it, and new requests wait in the kernel's socket buffers, outside the service:
 * measured on one core at 3x its capacity, fewer than 64 requests were in progress while callers waited seconds.
 *
 * <p>What counts is each loop's <em>least</em> delay over a period, as CoDel judges a queue by its minimum sojourn
 * time: a pause (a collection, a burst) makes some probes late and is gone; a loop whose every probe in the period
 * was late is behind all the time. Measured on two busy cores holding 1,000 buffers, the worst single probe was
 * 50-100 ms late every few seconds with nobody waiting long, so the worst is reported for operators, not acted on.
 */
@ApplicationScoped
class EventLoopDelay {

    /** Ten probes per loop in each of {@link LoadShedder}'s periods; each probe is a few hundred nanoseconds. */
    static final Duration PERIOD = Duration.ofMillis(10);

    private final List<Loop> loops = new ArrayList<>();
    /** When {@link #take} last read the loops; only its one caller's thread touches it. */
    private long lastTake = System.nanoTime();
    private volatile boolean stopped;

    /** One event loop's least and greatest probe delay since the last reading (nanoseconds; none: MAX and -1). */
    private static final class Loop {
        final AtomicLong least = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong most = new AtomicLong(-1);
    }

    /** The period's reading: the least delay of the most-behind loop, and the single worst probe. */
    record Reading(Duration standing, Duration worst) {
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        for (EventExecutor executor : vertx.nettyEventLoopGroup()) {
            Loop loop = new Loop();
            loops.add(loop);
            probe(executor, loop);
        }
    }

    void stop(@Observes ShutdownEvent stop) {
        stopped = true;
    }

    /** Re-armed after each run rather than at a fixed rate, so a late loop is not handed a burst of catch-up probes. */
    private void probe(EventExecutor executor, Loop loop) {
        if (stopped || executor.isShuttingDown()) {
            return;
        }
        long due = System.nanoTime() + PERIOD.toNanos();
        executor.schedule(() -> {
            long late = Math.max(0, System.nanoTime() - due);
            loop.least.accumulateAndGet(late, Math::min);
            loop.most.accumulateAndGet(late, Math::max);
            probe(executor, loop);
        }, PERIOD.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The delays since the last call, and start again. A loop that ran none of its probes since then has been behind
     * for all of that time.
     */
    Reading take() {
        long now = System.nanoTime();
        long sinceNanos = now - lastTake;
        lastTake = now;
        long standing = 0;
        long worst = 0;
        for (Loop loop : loops) {
            long least = loop.least.getAndSet(Long.MAX_VALUE);
            long most = loop.most.getAndSet(-1);
            long behind = least == Long.MAX_VALUE ? Math.max(0, sinceNanos - PERIOD.toNanos()) : least;
            standing = Math.max(standing, behind);
            worst = Math.max(worst, Math.max(most, behind));
        }
        return new Reading(Duration.ofNanos(standing), Duration.ofNanos(worst));
    }
}
