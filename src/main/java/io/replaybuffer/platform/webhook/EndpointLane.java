package io.replaybuffer.platform.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One endpoint's queue on this replica: up to {@code concurrency} workers on the lane's own threads and HTTP client,
 * so a slow or dead endpoint holds only its own. A worker claims one due delivery, sends it, records the outcome and
 * looks for the next; each claim that finds work lets one more worker start, and a worker that finds nothing stops.
 */
final class EndpointLane {

    private static final Logger LOG = Logger.getLogger(EndpointLane.class);

    /** What a lane needs from the dispatcher, kept small so the lane is easy to read on its own. */
    record Parts(DeliveryQueue queue, WebhookSigner signer, RetryPolicy retries, WebhookMetrics metrics, Clock clock,
            Duration lease) {
    }

    private final String url;
    private final Parts parts;
    private final WebhookSender sender;
    private final ExecutorService workers;
    private final int concurrency;
    private final AtomicInteger running = new AtomicInteger();
    /** Set by every wake-up; a worker that found nothing looks once more if it was set meanwhile. */
    private final AtomicBoolean wanted = new AtomicBoolean();
    private volatile boolean stopped;

    EndpointLane(String url, Parts parts, WebhookSender sender, ExecutorService workers, int concurrency) {
        this.url = url;
        this.parts = parts;
        this.sender = sender;
        this.workers = workers;
        this.concurrency = concurrency;
    }

    /** Something may be due: make sure a worker looks. */
    void wake() {
        wanted.set(true);
        if (running.get() == 0) {
            startWorker();
        }
    }

    void stop() {
        stopped = true;
    }

    private void startWorker() {
        int now;
        do {
            now = running.get();
            if (now >= concurrency || stopped) {
                return;
            }
        } while (!running.compareAndSet(now, now + 1));
        try {
            workers.execute(this::work);
        } catch (RejectedExecutionException e) {
            running.decrementAndGet(); // shutting down
        }
    }

    private void work() {
        try {
            while (!stopped) {
                wanted.set(false);
                Instant now = parts.clock().instant();
                Optional<DeliveryQueue.Claimed> claimed = parts.queue().claim(url, now, now.plus(parts.lease()));
                if (claimed.isEmpty()) {
                    if (wanted.get()) {
                        continue;
                    }
                    return;
                }
                startWorker(); // more may be due: another worker claims while this one waits for its answer
                deliver(claimed.get());
            }
        } catch (RuntimeException e) {
            // The database is down or the row went away: the claim (if any) comes due again when its lease ends.
            LOG.warnf("webhook lane %s stopped a round: %s", Endpoint.shown(url), e.getMessage());
        } finally {
            running.decrementAndGet();
        }
    }

    private void deliver(DeliveryQueue.Claimed claimed) {
        Instant start = parts.clock().instant();
        String signature = parts.signer().sign(claimed.eventId(), start.getEpochSecond(), claimed.body());
        AttemptResult result;
        try {
            result = sender.post(url, claimed.eventId(), start.getEpochSecond(), signature, claimed.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true; // left claimed: its lease runs out and any replica sends it again, under the same id
            return;
        }
        Instant end = parts.clock().instant();
        parts.metrics().attempted(result);
        if (result.delivered()) {
            if (parts.queue().finish(claimed, result, DeliveryQueue.Verdict.DELIVERED, end, null)) {
                parts.metrics().delivered(claimed.eventAt());
            }
            return;
        }
        RetryPolicy.Next next = parts.retries().after(claimed.attempt(), result, end, claimed.giveUpAt());
        DeliveryQueue.Verdict verdict = next.failed() ? DeliveryQueue.Verdict.FAILED : DeliveryQueue.Verdict.RETRY;
        boolean held = parts.queue().finish(claimed, result, verdict, end, next.at());
        if (held && next.failed()) {
            parts.metrics().failed(1);
            LOG.warnf("webhook %s (%s) to %s failed for good after %d attempts: %s", claimed.eventId(),
                    claimed.type(), Endpoint.shown(url), claimed.attempt(), result.summary());
        } else if (held) {
            LOG.debugf("webhook %s to %s: attempt %d got %s; next at %s", claimed.eventId(), Endpoint.shown(url),
                    claimed.attempt(), result.summary(), next.at());
        }
    }
}
