package io.replaybuffer.load;

import io.gatling.app.Gatling$;
import io.smallrye.jwt.build.Jwt;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs {@link ConstantRate} once, in this JVM, and returns what its {@link Tally} saw. */
final class LoadRun {

    private static final Path RESULTS = Path.of("target/load/gatling").toAbsolutePath();

    private LoadRun() {
    }

    /**
     * {@code rate} requests a second for {@code seconds}, taking {@code requests} in turn, against {@code baseUrl},
     * served by {@code server} (whose CPU time is counted).
     */
    static Tally.Result run(Target target, List<Map<String, Object>> requests, double rate, int seconds)
            throws Exception {
        return run(target, requests, rate, seconds, null);
    }

    /** The same behind a balancer whose queue gives up on a request after {@code queueLimit} (ConstantRate). */
    static Tally.Result run(Target target, List<Map<String, Object>> requests, double rate, int seconds,
            Duration queueLimit) throws Exception {
        Files.createDirectories(RESULTS);
        // A starved machine must not stretch a run by a minute per lost request (Gatling's default timeout).
        System.setProperty("gatling.http.requestTimeout", "10000");
        String baseUrl = target.url();
        Tally tally = new Tally();
        double cpuBefore = CpuTime.millis(target.server());
        ConstantRate.plan = new ConstantRate.Plan(baseUrl, requests, rate, seconds, tally, queueLimit);
        int status = Gatling$.MODULE$.fromArgs(new String[] {"--simulation", ConstantRate.class.getName(),
                "--results-folder", RESULTS.toString(), "--no-reports", "--launcher", "replay-buffer-bench"});
        Tally.Result result = tally.result(rate, seconds, CpuTime.millis(target.server()) - cpuBefore);
        System.out.printf("%s at %.0f/s for %d s on %s: Gatling status %d, statuses %s, %s%n",
                requests.get(0).get("name"), rate, seconds, baseUrl, status, tally.statuses(), result);
        return result;
    }

    /** A server under load: its base URL and its process. */
    record Target(String url, ProcessHandle server) {
    }

    /**
     * A user's bearer token that outlives the whole benchmark: the tests' tokens last Quarkus' default 5 minutes, and
     * an expired token turns every later request into a 401 that costs a failed verification.
     */
    static String token(String user) {
        return Jwt.subject(user).upn(user).groups(Set.of("user")).expiresIn(Duration.ofHours(3)).sign();
    }

    /** A GET of {@code path} with this bearer token, named {@code name} in Gatling's output. */
    static Map<String, Object> get(String name, String path, String token) {
        return Map.of("name", name, "method", "GET", "path", path, "authorization", "Bearer " + token);
    }

    /** A POST of a JSON body. */
    static Map<String, Object> post(String name, String path, String token, String body) {
        return Map.of("name", name, "method", "POST", "path", path, "authorization", "Bearer " + token, "body", body);
    }
}
