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
            md.append(overload.markdown());
        }
        if (!downloads.isEmpty()) {
            md.append(Downloads.table(downloads));
        }
        if (captures != null || capturesFailure != null) {
            md.append(Captures.text(captures, capturesFailure));
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

}
