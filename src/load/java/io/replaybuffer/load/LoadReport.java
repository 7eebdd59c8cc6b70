package io.replaybuffer.load;

import io.replaybuffer.bench.Measures;
import io.replaybuffer.bench.SoakProbe;

import io.replaybuffer.bench.Benchmarks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.Map;

/** The load section of docs/benchmarks.md, and its plot, from the runs' own figures. */
final class LoadReport {

    static final String PLOT = "load-rate-p99.png";
    /** The Gatling version on the classpath, from its jar. */
    static final String GATLING = String.valueOf(io.gatling.javaapi.core.Simulation.class.getPackage().getImplementationVersion());

    private final Map<String, Map<String, List<Tally.Result>>> rising = new LinkedHashMap<>();
    private final List<Downloads.Result> downloads = new ArrayList<>();
    private final String loadBefore = Measures.loadAverage();
    private Overload overload;
    private Tally.Result captures;
    private int buffers;
    private SoakProbe.Sample fleetStarted;
    private SoakProbe.Sample fleetEnded;
    private String capturesFailure;

    void rising(String endpoint, Map<String, List<Tally.Result>> lines) {
        rising.put(endpoint, lines);
    }

    /** The highest rate at which the service stayed under the bar, and every rate below it too; 0 if none. */
    int knee(String endpoint) {
        return rising.containsKey(endpoint) ? knee(rising.get(endpoint).get("service")) : 0;
    }

    static int knee(List<Tally.Result> runs) {
        int best = 0;
        for (Tally.Result run : runs) {
            if (!run.healthy(LoadBench.P99_LIMIT_MS)) {
                break;
            }
            best = (int) run.rate();
        }
        return best;
    }

    /**
     * The overload phase: the one-core ladder ({@code steps}, with the first tries of rates tried again), the knee it
     * found, the CPU quota as described, then the runs in order, each with the run at half the knee after it: twice
     * behind a balancer whose queue gives up after {@code queueLimit}, once with no limit.
     */
    record Overload(List<Tally.Result> steps, Map<Double, Tally.Result> firstTries, int knee, String quota,
            java.time.Duration queueLimit, Tally.Result first, Tally.Result firstAfter, Tally.Result second,
            Tally.Result secondAfter, Tally.Result unbounded, Tally.Result unboundedAfter) {
    }

    void overload(Overload overload) {
        this.overload = overload;
    }

    void download(Downloads.Result result) {
        downloads.add(result);
    }

    void fleet(int count, SoakProbe.Sample started, SoakProbe.Sample ended) {
        this.buffers = count;
        this.fleetStarted = started;
        this.fleetEnded = ended;
    }

    void captures(Tally.Result result) {
        this.captures = result;
    }

    void capturesFailed(String why) {
        this.capturesFailure = why;
    }

    void write() throws Exception {
        Map<String, List<Tally.Result>> lines = new LinkedHashMap<>();
        rising.forEach((endpoint, byServer) -> byServer.forEach((server, runs) -> lines.put(endpoint + ", " + server, runs)));
        if (LoadBench.PHASES.size() == 4) {
            RatePlot.write(LoadBench.docs().resolve(PLOT), "GET /api/v1/clips and /api/v1/clips/{id}: rate vs p99", lines,
                    LoadBench.P99_LIMIT_MS);
        }
        StringBuilder md = new StringBuilder("## Load: API rates, overload, downloads, captures\n\n");
        md.append(String.format(Locale.ROOT, """
                Run on %s with `scripts/bench load` (load average %s at the start, %s at the end, on %d cores: the
                machine may be shared, so every figure stands beside its peer's, taken in the same run). The packaged
                service runs as a process (`-Xmx256m`, PostgreSQL and Redis on 127.0.0.1); the peer is nginx serving
                the same bytes from files. Load: Gatling %s, a constant arrival rate through %d keep-alive
                connections, as a load balancer sends it (`ConstantRate`: request k is due k/rate s after the start,
                whatever the answers, and goes out on connection k mod %d once that is free), each step %d s. Latency
                is a request's time on the wire plus the time it waited for its connection after it was due, so
                queueing behind a slow answer counts and Gatling's own lateness does not; p99 is over accepted (2xx) answers; a request unanswered after 10 s, or not sent 10 s after the step's
                end, is an error. A step passes when p99 <= %d ms and at least 99%% are accepted. CPU/answer is the server
                process' CPU time (with nginx' workers) over the run divided by its answers: unlike latency, it
                hardly depends on what else the machine runs.

                ![offered rate against p99, service and nginx](%s)

                """, ZonedDateTime.now().withNano(0), loadBefore, Measures.loadAverage(), Runtime.getRuntime()
                .availableProcessors(), GATLING, ConstantRate.CONNECTIONS,
                ConstantRate.CONNECTIONS, LoadBench.STEP_SECONDS, LoadBench.P99_LIMIT_MS, PLOT));
        rising.forEach((endpoint, byServer) -> md.append(risingTable(endpoint, byServer)));
        if (overload != null) {
            md.append(overloadText());
        }
        if (!downloads.isEmpty()) {
            md.append(downloadTable());
        }
        if (captures != null || capturesFailure != null) {
            md.append(captureText());
        }
        if (fleetStarted != null) {
            md.append(fleetText());
        }
        md.append(profile());
        System.out.println(md);
        Files.createDirectories(Path.of("target/benchmarks"));
        if (LoadBench.PHASES.size() < 4) { // a partial run (LOAD_PHASES) is for looking at, not for docs/benchmarks.md
            Files.writeString(Path.of("target/benchmarks/load-partial.md"), md.toString());
            return;
        }
        Files.writeString(Path.of("target/benchmarks/load.md"), md.toString());
        Benchmarks.main(new String[] {"none"});
    }

    private String risingTable(String endpoint, Map<String, List<Tally.Result>> byServer) {
        List<Tally.Result> ours = byServer.get("service");
        List<Tally.Result> nginx = byServer.get("nginx");
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                ### %s: knee at %s

                | offered/s | service: accepted/s | p50 | p99 | max | refused | errors | CPU/answer | nginx: p50 | p99 | CPU/answer | load |
                |---|---|---|---|---|---|---|---|---|---|---|---|
                """, endpoint.equals("list") ? "`GET /api/v1/clips?limit=20`" : "`GET /api/v1/clips/{id}` (25 clips in turn)",
                knee(endpoint) == 0 ? "none of the rates tried" : knee(endpoint) + "/s"));
        for (int i = 0; i < ours.size(); i++) {
            Tally.Result s = ours.get(i);
            Tally.Result n = nginx.get(i);
            md.append(String.format(Locale.ROOT,
                    "| %.0f | %.0f | %.1f ms | **%.1f ms** | %.0f ms | %d | %d | %.2f ms | %.1f ms | %.1f ms | %.3f ms | %s |%n",
                    s.rate(), s.acceptedPerSecond(), s.p50(), s.p99(), s.max(), s.refused(), s.errors(),
                    s.cpuMillisPerAnswer(), n.p50(), n.p99(), n.cpuMillisPerAnswer(), s.loadAverage()));
        }
        return md.append('\n').toString();
    }

    private String fleetText() {
        return String.format(Locale.ROOT, """

                ### What the service held meanwhile

                %d ACTIVE buffers for the whole run (`LoadFleet`: 72 segments of real footage back-filled each, one more
                every 10 s, so about %d segments for the sweep), on `-Xmx256m`, from before the first step to after the
                last. Heap after a full GC: %.0f MiB once they were all started, %.0f MiB at the end; resident memory
                %.0f then %.0f MiB; %d then %d threads; %d then %d PostgreSQL sessions; Redis %d keys (%.0f KiB) at the end.

                """, buffers, buffers * 72, fleetStarted.heapAfterGcMiB(), fleetEnded.heapAfterGcMiB(),
                fleetStarted.rssMiB(), fleetEnded.rssMiB(), fleetStarted.threads(), fleetEnded.threads(),
                fleetStarted.dbConnections(), fleetEnded.dbConnections(), fleetEnded.redisKeys(),
                fleetEnded.redisKeysKiB());
    }

    private String overloadText() {
        Overload o = overload;
        StringBuilder steps = new StringBuilder();
        for (Tally.Result step : o.steps()) {
            steps.append(String.format(Locale.ROOT, "%s%.0f/s: p99 %.1f ms", steps.length() == 0 ? "" : ", ",
                    step.rate(), step.p99()));
            Tally.Result first = o.firstTries().get(step.rate());
            if (first != null) {
                steps.append(String.format(Locale.ROOT, " (first try: p99 %.1f ms, %d refused)", first.p99(),
                        first.refused()));
            }
        }
        long limit = o.queueLimit().toMillis();
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
                """, Math.abs(o.second().rate() - 3.0 * o.knee()) < 1 ? "3x the knee" : String.format(Locale.ROOT,
                        "%.1fx the knee (LOAD_OVERLOAD_RATE)", o.second().rate() / o.knee()), o.second().rate(),
                Cores.description().substring(0, 1).toUpperCase(Locale.ROOT) + Cores.description().substring(1)
                        + "; " + o.quota(),
                kneeText(), steps, limit)
                + overloadRow("overload, queue limit " + limit + " ms", o.first())
                + overloadRow("half the knee, right after", o.firstAfter())
                + overloadRow("overload again, queue limit " + limit + " ms", o.second())
                + overloadRow("half the knee, right after", o.secondAfter())
                + overloadRow("overload, no queue limit", o.unbounded())
                + overloadRow("half the knee, right after", o.unboundedAfter()) + "\n";
    }

    /** The ladder may end before the knee: then the knee is only known to be at least its last step. */
    private String kneeText() {
        List<Tally.Result> steps = overload.steps();
        boolean ranOut = !steps.isEmpty() && steps.get(steps.size() - 1).healthy(LoadBench.P99_LIMIT_MS)
                && overload.knee() >= LoadBench.ONE_CORE_LAST_STEP;
        return ranOut ? String.format(Locale.ROOT, "at least %d/s, the ladder's last step: every step passed, and"
                + " three times a higher step is more than the load generator sends from the other core",
                overload.knee()) : overload.knee() + "/s";
    }

    private static String overloadRow(String run, Tally.Result r) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.1f ms | %d | %d | %d | %d | %.1f ms |%n", run,
                r.rate(), r.acceptedPerSecond(), r.p99(), r.refused(), r.refusedWithoutRetryAfter(),
                r.refusedByBalancer(), r.errors(), r.refusedP99());
    }

    private String downloadTable() {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                ### Clip downloads: service against nginx's sendfile of the same file

                wrk, %d connections, %d s each, whole file per request (bearer token for the service). Bare Vert.x
                (`PeerVertx`: the service's HTTP runtime and nothing else, sending the same file) shows how much of
                the gap is the runtime's. The three take turns for %d rounds; the round with the median
                service/nginx ratio is shown, with every round's ratio after it.

                | clip | size | service | CPU/request | nginx | CPU/request | ratio (each round) | bare Vert.x | CPU/request | its ratio | load |
                |---|---|---|---|---|---|---|---|---|---|---|
                """, Downloads.CONNECTIONS, Downloads.SECONDS, Downloads.ROUNDS));
        for (Downloads.Result d : downloads) {
            md.append(String.format(Locale.ROOT,
                    "| %s | %.1f MB | %.0f MB/s (%.0f req/s) | %.2f ms | %.0f MB/s (%.0f req/s) | %.2f ms | **%.2f×** (%s) "
                            + "| %.0f MB/s | %.2f ms | %.2f× | %s |%n",
                    d.name(), d.bytes() / 1e6, d.service().megabytesPerSecond(), d.service().requestsPerSecond(),
                    d.service().cpuMillisPerRequest(), d.nginx().megabytesPerSecond(), d.nginx().requestsPerSecond(),
                    d.nginx().cpuMillisPerRequest(), d.ratio(), d.rounds().stream()
                            .map(r -> String.format(Locale.ROOT, "%.2f", r)).collect(Collectors.joining(", ")),
                    d.vertx().megabytesPerSecond(), d.vertx().cpuMillisPerRequest(),
                    d.vertx().megabytesPerSecond() / d.nginx().megabytesPerSecond(), d.service().loadAverage()));
        }
        return md.append('\n').toString();
    }

    /**
     * What the fixes were based on: the profile of the first load runs, before verified tokens were remembered and
     * the list and get read their rows read-only (commit d522138, list warm-up and first steps, machine load ~25).
     */
    private static final String PROFILE_BEFORE = """
            | where the CPU went, before (1540 samples) | share |
            |---|---|
            | database: Hibernate ORM, Panache, transactions | 22.9% |
            | token verification (smallrye-jwt, jose4j, RSA) | 20.3% |
            | HTTP and network (Vert.x, Netty, sockets) | 18.5% |
            | security checks, CDI request context | 15.1% |
            | database: driver and pool (pgjdbc, Agroal) | 10.1% |
            | serialization (Jackson) | 8.3% |
            | REST routing and filters (Quarkus REST) | 1.9% |
            | metrics (Micrometer) | 1.5% |
            | rate limits, Redis | 1.2% |
            | file serving (sendfile, file body handlers) | 0.1% |
            """;

    /** With {@code LOAD_JFR=file}, the service ran under JFR: where its request threads' CPU went, before and now. */
    private static String profile() throws java.io.IOException {
        String jfr = System.getProperty("load.jfr");
        if (jfr == null || !Files.exists(Path.of(jfr))) {
            return "";
        }
        return "\n### Profile (JFR, `LOAD_JFR=" + jfr + " scripts/bench load`)\n\n"
                + "CPU samples (`jdk.ExecutionSample`) of the request threads (worker pool, event loops), each counted"
                + " for the first category any frame of its stack falls in (`JfrSplit`). Before the fixes, token"
                + " verification ran on the event loop for every request (RS256 and two JSON parses of the same"
                + " token); now a verified token is remembered until it expires.\n\n" + PROFILE_BEFORE + "\n"
                + JfrSplit.table(Path.of(jfr)).replace("where the CPU went (", "where the CPU went, this run (");
    }

    private String captureText() {
        if (captures == null) {
            return String.format(Locale.ROOT, "### Captures: %d/s over %d players%n%nNot measured in this run: %s%n",
                    Captures.RATE, Captures.PLAYERS, capturesFailure);
        }
        Tally.Result c = captures;
        return String.format(Locale.ROOT, """
                ### Captures: %d/s over %d players, %d ACTIVE buffers with footage (fake egress, `SoakFleet`)

                %.0f s at %d/s, each capture the last 20 s of the next player's buffer. Accepted (201/202): %d of %d
                (%.0f/s), p50 %.1f ms, p99 %.1f ms; refused with 503 and Retry-After (build queue full: %s): %d, without
                Retry-After: %d; other errors: %d. Load average at the end: %s.
                """, Captures.RATE, Captures.PLAYERS, Captures.PLAYERS, c.seconds(), Captures.RATE, c.accepted(),
                c.sent(), c.acceptedPerSecond(), c.p50(), c.p99(), "REPLAY_CAPTURE_CONCURRENCY 2 + REPLAY_CAPTURE_QUEUE 32",
                c.refused(), c.refusedWithoutRetryAfter(), c.errors(), c.loadAverage());
    }
}
