package io.replaybuffer.platform.http;

import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How late the event loops are: each one is handed a small task every {@link #PERIOD}, and the time that task waited
 * past its due moment is about the time a request arriving now waits before the router even reads it.
 *
 * <p>This is the queue that counting requests in progress cannot see. When request threads take the CPU, the event
 * loops that read requests get less of it, and new requests wait in the kernel's socket buffers, outside the service:
 * measured on one core at 3x its capacity, fewer than 64 requests were in progress while callers waited seconds.
 * {@link LoadShedder} narrows its admission while this delay is high, which gives the event loops the CPU back.
 */
@ApplicationScoped
class EventLoopDelay {

    /** Often enough to see a delay within a few of {@link LoadShedder}'s adjustment periods; each probe is tiny. */
    static final Duration PERIOD = Duration.ofMillis(10);

    private final AtomicLong worstNanos = new AtomicLong();
    private volatile boolean stopped;

    void start(@Observes StartupEvent start, Vertx vertx) {
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            probe(loop);
        }
    }

    void stop(@Observes io.quarkus.runtime.ShutdownEvent stop) {
        stopped = true;
    }

    /** Re-armed after each run rather than at a fixed rate, so a late loop is not handed a burst of catch-up probes. */
    private void probe(EventExecutor loop) {
        if (stopped || loop.isShuttingDown()) {
            return;
        }
        long due = System.nanoTime() + PERIOD.toNanos();
        loop.schedule(() -> {
            worstNanos.accumulateAndGet(System.nanoTime() - due, Math::max);
            probe(loop);
        }, PERIOD.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The longest delay any event loop had since the last call (zero when none was late), and start again. */
    Duration takeWorst() {
        return Duration.ofNanos(Math.max(0, worstNanos.getAndSet(0)));
    }
}
