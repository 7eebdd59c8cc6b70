package io.replaybuffer.load;

import io.replaybuffer.bench.Measures;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * What one constant-rate run saw, recorded as each response arrives: latencies of the accepted answers (2xx) and of
 * the refusals (429/503), whether each refusal said Retry-After, and anything else. Gatling keeps its own statistics
 * too; this keeps the split by outcome that the overload report needs.
 */
final class Tally {

    /** Microseconds, up to a minute. */
    private final Histogram accepted = new Histogram(60_000_000L, 3);
    private final Histogram refused = new Histogram(60_000_000L, 3);
    /** Requests due in the run, all of them counted as sent: one never sent was held up by the earlier ones. */
    private final AtomicLong planned = new AtomicLong();
    private final AtomicLong refusedWithoutRetryAfter = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    /** Requests the balancer answered itself, 503 after its queue limit, without sending them (ConstantRate). */
    private final AtomicLong balancer = new AtomicLong();
    /** Every status seen, with its count, so that errors can be told apart in the log. */
    private final java.util.Map<Integer, Long> statuses = new java.util.TreeMap<>();

    void planned(long requests) {
        planned.set(requests);
    }

    /** One response: its status, whether it had Retry-After, and its latency in nanoseconds. */
    synchronized void answer(int status, boolean retryAfter, long nanos) {
        long value = Math.max(0, Math.min(nanos / 1000, 60_000_000L));
        statuses.merge(status, 1L, Long::sum);
        if (status >= 200 && status < 300) {
            accepted.recordValue(value);
        } else if (status == 429 || status == 503) {
            refused.recordValue(value);
            if (!retryAfter) {
                refusedWithoutRetryAfter.incrementAndGet();
            }
        } else {
            other.incrementAndGet();
        }
    }

    void refusedByBalancer() {
        balancer.incrementAndGet();
    }

    /** The run's figures; requests sent that got no answer at all count as errors. */
    synchronized java.util.Map<Integer, Long> statuses() {
        return new java.util.TreeMap<>(statuses);
    }

    synchronized Result result(double rate, double seconds, double cpuMillis) {
        long answered = accepted.getTotalCount() + refused.getTotalCount() + other.get() + balancer.get();
        return new Result(rate, seconds, planned.get(), accepted.getTotalCount(), refused.getTotalCount(),
                refusedWithoutRetryAfter.get(), balancer.get(), other.get() + Math.max(0, planned.get() - answered),
                percentile(accepted, 50), percentile(accepted, 99), percentile(accepted, 100),
                percentile(refused, 99), cpuMillis, Measures.loadAverage());
    }

    /** In milliseconds. */
    private static double percentile(Histogram histogram, double p) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(p) / 1000.0;
    }

    /**
     * Offered rate and duration; requests sent; answers accepted, refused (429/503) and of those without Retry-After;
     * refused by the balancer's queue limit (never sent); errors (other statuses, failures and no answer); accepted
     * latency p50/p99/max and refused p99, in ms; the server's CPU time during the run; the machine's load average
     * when the run ended.
     */
    record Result(double rate, double seconds, long sent, long accepted, long refused, long refusedWithoutRetryAfter,
            long refusedByBalancer, long errors, double p50, double p99, double max, double refusedP99, double cpuMillis,
            String loadAverage) {

        /** CPU the server spent per answer, whatever the answer: robust to a busy machine, unlike latency. */
        double cpuMillisPerAnswer() {
            long answers = accepted + refused;
            return answers == 0 ? 0 : cpuMillis / answers;
        }

        double acceptedPerSecond() {
            return accepted / seconds;
        }

        double sentPerSecond() {
            return sent / seconds;
        }

        /** Under the bar: p99 of the accepted within {@code p99Limit} ms, and at most 1% not accepted. */
        boolean healthy(long p99Limit) {
            return p99 <= p99Limit && accepted >= 0.99 * sent;
        }
    }
}
