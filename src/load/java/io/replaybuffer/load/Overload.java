package io.replaybuffer.load;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The overload phase: the one-core ladder ({@code steps}, with the first tries of rates tried again), the knee it
 * found, the CPU quota as described, then the runs in order, each with the run at half the knee after it: twice
 * behind a balancer whose queue gives up after {@code queueLimit}, once with no limit.
 */
record Overload(List<Tally.Result> steps, Map<Double, Tally.Result> firstTries, int knee, String quota,
        Duration queueLimit, Tally.Result first, Tally.Result firstAfter, Tally.Result second,
        Tally.Result secondAfter, Tally.Result unbounded, Tally.Result unboundedAfter) {

    /** The section of docs/benchmarks.md. */
    String markdown() {
        StringBuilder ladder = new StringBuilder();
        for (Tally.Result step : steps) {
            ladder.append(String.format(Locale.ROOT, "%s%.0f/s: p99 %.1f ms", ladder.length() == 0 ? "" : ", ",
                    step.rate(), step.p99()));
            Tally.Result first = firstTries.get(step.rate());
            if (first != null) {
                ladder.append(String.format(Locale.ROOT, " (first try: p99 %.1f ms, %d refused)", first.p99(),
                        first.refused()));
            }
        }
        long limit = queueLimit.toMillis();
        return String.format(Locale.ROOT, """
                ### Overload: list at %s on one core (%.0f/s), then back to half the knee

                %s. Its knee there: %s (%s; a rate that fails is tried once more).

                The overload runs three times, each followed by 15 s at half the knee. Twice behind a balancer
                whose queue gives up on a request that waited %d ms for a connection (HAProxy's `timeout queue`
                with `maxconn 128`; docs/operations.md asks for a bounded queue in front of every replica): the
                balancer answers that one 503 itself and never sends it. Once with no limit, every request waiting
                for its connection however long. One run of 20 s says little on a shared machine, and the first
                may find the refusal path not yet compiled.

                | run | offered/s | accepted/s | p99 accepted | refused by the service (429/503) | of them without Retry-After | refused by the balancer | other errors | p99 refused |
                |---|---|---|---|---|---|---|---|---|
                """, Math.abs(second.rate() - 3.0 * knee) < 1 ? "3x the knee" : String.format(Locale.ROOT,
                        "%.1fx the knee (LOAD_OVERLOAD_RATE)", second.rate() / knee), second.rate(),
                Cores.description().substring(0, 1).toUpperCase(Locale.ROOT) + Cores.description().substring(1)
                        + "; " + quota,
                kneeText(), ladder, limit)
                + overloadRow("overload, queue limit " + limit + " ms", first)
                + overloadRow("half the knee, right after", firstAfter)
                + overloadRow("overload again, queue limit " + limit + " ms", second)
                + overloadRow("half the knee, right after", secondAfter)
                + overloadRow("overload, no queue limit", unbounded)
                + overloadRow("half the knee, right after", unboundedAfter) + "\n";
    }

    /** The ladder may end before the knee: then the knee is only known to be at least its last step. */
    private String kneeText() {
        boolean ranOut = !steps.isEmpty() && steps.get(steps.size() - 1).healthy(LoadBench.P99_LIMIT_MS)
                && knee >= LoadBench.ONE_CORE_LAST_STEP;
        return ranOut ? String.format(Locale.ROOT, "at least %d/s, the ladder's last step: every step passed, and"
                + " three times a higher step is more than the load generator sends from the other core",
                knee) : knee + "/s";
    }

    private static String overloadRow(String run, Tally.Result r) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.1f ms | %d | %d | %d | %d | %.1f ms |%n", run,
                r.rate(), r.acceptedPerSecond(), r.p99(), r.refused(), r.refusedWithoutRetryAfter(),
                r.refusedByBalancer(), r.errors(), r.refusedP99());
    }
}
