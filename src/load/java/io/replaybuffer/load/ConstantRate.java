package io.replaybuffer.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Gatling's open model: {@link Plan#rate} new requests every second for {@link Plan#seconds}, whether or not the
 * earlier ones were answered (a closed loop like wrk's waits, and so hides the queueing an overloaded server causes).
 * Each virtual user sends one request from the plan's list, taken in turn; up to {@link #CONNECTIONS} connections
 * are shared and kept alive, as a load balancer's would be. Gatling builds the simulation by reflection, so {@link LoadRun} hands it the plan here.
 */
public class ConstantRate extends Simulation {

    /** The run's requests ({@code name}, {@code method}: the same for all, {@code path}, {@code authorization},
     * {@code body}), rate and length. */
    record Plan(String baseUrl, List<Map<String, Object>> requests, double rate, int seconds, Tally tally) {
    }

    static volatile Plan plan;

    /**
     * Connections the clients keep open to the server at most, as a load balancer's pool would: without a bound an
     * open model facing a slow server opens one per waiting request until the server runs out of file descriptors.
     */
    static final int CONNECTIONS = 128;

    public ConstantRate() {
        Plan run = plan;
        HttpRequestActionBuilder request = http("#{name}").httpRequest((String) run.requests().get(0).get("method"), "#{path}")
                .header("Authorization", "#{authorization}")
                .header("Content-Type", "application/json")
                .checkIf((response, session) -> {
                    run.tally().answer(response.status().code(), response.headers().contains("Retry-After"),
                            System.nanoTime() - session.getLong("scheduled"));
                    return false;
                }).then(status().is(200));
        if (run.requests().get(0).containsKey("body")) {
            request = request.body(StringBody("#{body}"));
        }
        setUp(scenario("constant rate").feed(listFeeder(run.requests()).circular())
                .exec(session -> {
                    // Latency counts from here, when the request was due: time spent waiting for a connection of
                    // the pool is the server's too (no coordinated omission).
                    run.tally().sent();
                    return session.set("scheduled", System.nanoTime());
                })
                .exec(request.check(status().in(200, 201, 202, 429, 503)))
                .injectOpen(constantUsersPerSec(run.rate()).during(Duration.ofSeconds(run.seconds()))))
                .protocols(http.baseUrl(run.baseUrl()).shareConnections().maxConnectionsPerHost(CONNECTIONS)
                        .disableWarmUp()
                        .disableCaching().acceptHeader("application/json"));
    }
}
