package io.replaybuffer.platform.webhook;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.config.WebhookSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox: one {@link EndpointLane} per endpoint, woken right after a transaction that queued an event
 * commits, and every REPLAY_WEBHOOK_POLL_EVERY for retries that came due and events other replicas queued. Runs on
 * its own threads, not the scheduler (which tests switch off) nor the request or build pools, so webhooks can neither
 * starve nor be starved by the service's own work.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    /** A stopping replica waits at most this long, in all, for attempts in flight. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final WebhookEndpoints endpoints;
    private final DeliveryQueue queue;
    private final RetryPolicy retries;
    private final WebhookMetrics metrics;
    private final Clock clock;
    private final WebhookSettings config;
    private final List<EndpointLane> lanes = new ArrayList<>();
    private final List<ExecutorService> pools = new ArrayList<>();
    private ScheduledExecutorService poller;
    private volatile boolean pollFailing;

    Dispatcher(WebhookEndpoints endpoints, DeliveryQueue queue, RetryPolicy retries, WebhookMetrics metrics,
            Clock clock, ReplayConfig config) {
        this.endpoints = endpoints;
        this.queue = queue;
        this.retries = retries;
        this.metrics = metrics;
        this.clock = clock;
        this.config = config.webhook();
    }

    void start(@Observes StartupEvent start) {
        if (endpoints.any()) {
            // Longer than any attempt can take, so a live dispatcher's claim never runs out under it.
            Duration lease = config.timeout().multipliedBy(2).plusSeconds(30);
            EndpointLane.Parts parts = new EndpointLane.Parts(queue, endpoints.signer(), retries, metrics, clock, lease);
            int n = 0;
            for (String url : endpoints.urls()) {
                String name = "webhook-" + (++n);
                ExecutorService workers = pool(Executors::newFixedThreadPool, config.concurrency(), name);
                ExecutorService http = pool(Executors::newFixedThreadPool, 2, name + "-http");
                lanes.add(new EndpointLane(url, parts, new WebhookSender(config.timeout(), http, clock), workers,
                        config.concurrency()));
            }
            LOG.infof("webhooks: %d endpoint(s), %d attempt(s) at once each, timeout %s, retried for %s",
                    lanes.size(), config.concurrency(), config.timeout(), config.retryFor());
        }
        poller = Executors.newSingleThreadScheduledExecutor(daemon("webhook-poll", new AtomicInteger()));
        long every = config.pollEvery().toMillis();
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    /** After a commit that queued events: deliver now rather than at the next poll. */
    void queued(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Queued event) {
        wakeAll();
    }

    /** Wakes every lane; for tests and the poll. */
    public void wakeAll() {
        lanes.forEach(EndpointLane::wake);
    }

    private void poll() {
        try {
            metrics.oldestPending(queue.oldestPending().orElse(null));
            if (pollFailing) {
                LOG.info("webhook dispatcher reaches the database again");
                pollFailing = false;
            }
            wakeAll();
        } catch (RuntimeException e) {
            if (!pollFailing) { // once per outage, not every second
                LOG.warnf("webhook dispatcher cannot read the outbox (%s); it keeps trying", e.getMessage());
                pollFailing = true;
            }
        }
    }

    void stop(@Observes ShutdownEvent stop) {
        lanes.forEach(EndpointLane::stop);
        if (poller != null) {
            poller.shutdownNow();
        }
        // Attempts in flight get a moment to finish; those cut short stay claimed until their lease ends, and then
        // any replica sends them again.
        pools.forEach(ExecutorService::shutdown);
        try {
            long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
            for (ExecutorService pool : pools) {
                pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pools.forEach(ExecutorService::shutdownNow);
    }

    private ExecutorService pool(java.util.function.BiFunction<Integer, ThreadFactory, ExecutorService> kind,
            int threads, String name) {
        ExecutorService pool = kind.apply(threads, daemon(name, new AtomicInteger()));
        pools.add(pool);
        return pool;
    }

    private static ThreadFactory daemon(String name, AtomicInteger count) {
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
