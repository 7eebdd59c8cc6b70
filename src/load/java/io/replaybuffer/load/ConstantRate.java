package io.replaybuffer.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A constant arrival rate through a bounded pool of connections, as a load balancer sends it: request {@code k} of
 * the run is due {@code k / rate} seconds after the start, whatever happened to the earlier ones, and goes out on
 * connection {@code k mod} {@link #CONNECTIONS} as soon as that connection is free. Each connection is one Gatling
 * virtual user with its own keep-alive connection, sending its share in order. A request's latency is its time on
 * the wire plus the time it waited for its connection after it was due, so queueing behind a slow answer counts (no
 * coordinated omission), as it would in a balancer's queue; Gatling's own lateness in sending it (a late timer, on
 * this busy machine 10-15 ms at p99 even against nginx) does not.
 *
 * <p>Why not Gatling's {@code constantUsersPerSec} with shared connections, which this replaced: that pool opens a
 * new connection whenever none is idle ({@code maxConnectionsPerHost} caps a virtual user's connections, as a
 * browser's, not the pool). Measured at 7,500/s against the service on one core: 18,688 connections open, the
 * service's core busy accepting and setting them up rather than answering, and the generator near its 20,000 file
 * descriptors; p99 15.8 s and 5,273 errors, which said more about the connection storm than about the service.
 *
 * <p>With a {@code queueLimit}, the balancer's queue is bounded in time, as HAProxy's {@code timeout queue} bounds it
 * for a server with {@code maxconn}: a request whose connection is still busy {@code queueLimit} after it was due is
 * answered 503 by the balancer and never sent. Without one, requests wait for their connection however long.
 *
 * <p>A request not answered {@link #GRACE} after the run's end is given up and counted as an error. Gatling builds
 * the simulation by reflection, so {@link LoadRun} hands it the plan here.
 */
public class ConstantRate extends Simulation {

    /** The run's requests ({@code name}, {@code method}: the same for all, {@code path}, {@code authorization},
     * {@code body}), rate and length. */
    record Plan(String baseUrl, List<Map<String, Object>> requests, double rate, int seconds, Tally tally,
            Duration queueLimit) {

        long total() {
            return Math.round(rate * seconds);
        }

        /** When request {@code k} is due, on {@link System#nanoTime()}'s clock, for a run started at {@code start}. */
        long due(long start, long k) {
            return start + (long) (k * 1e9 / rate);
        }
    }

    static volatile Plan plan;

    /** Connections to the server, each carrying its share of the requests in turn, as a load balancer's pool. */
    static final int CONNECTIONS = 128;
    /** How long past the run's end requests may still be sent and answered; Gatling stops the run then. */
    static final Duration GRACE = Duration.ofSeconds(10);
    /** From the simulation's start to the first request: every connection's user is running by then. */
    private static final Duration LEAD = Duration.ofMillis(200);

    public ConstantRate() {
        Plan run = plan;
        long total = run.total();
        int connections = (int) Math.min(CONNECTIONS, Math.max(1, total));
        AtomicInteger nextConnection = new AtomicInteger();
        // Set when the first user runs, not here: Gatling takes a while between building and starting.
        AtomicLong start = new AtomicLong();
        // When each connection's last answer came (nanoTime; 0 before the first), taken as the answer arrives.
        AtomicLongArray free = new AtomicLongArray(connections);
        run.tally().planned(total);
        HttpRequestActionBuilder request = http("#{name}").httpRequest((String) run.requests().get(0).get("method"), "#{path}")
                .header("Authorization", "#{authorization}")
                .header("Content-Type", "application/json")
                .checkIf((response, session) -> {
                    long now = System.nanoTime();
                    free.set(session.getInt("connection"), now);
                    run.tally().answer(response.status().code(), response.headers().contains("Retry-After"),
                            now - session.getLong("sent") + session.getLong("waited"));
                    return false;
                }).then(status().is(200));
        if (run.requests().get(0).containsKey("body")) {
            request = request.body(StringBody("#{body}"));
        }
        setUp(scenario("constant rate")
                .exec(session -> {
                    start.compareAndSet(0, System.nanoTime() + LEAD.toNanos());
                    // A user is one connection: its requests k are its index, then that plus each multiple of the
                    // pool's size, so k mod connections is this index throughout.
                    int connection = nextConnection.getAndIncrement();
                    return session.set("connection", connection).set("k", (long) connection);
                })
                .exec(asLongAs(session -> session.getLong("k") < total).on(
                        exec(session -> {
                            long k = session.getLong("k");
                            long due = run.due(start.get(), k);
                            // Waiting for the connection, busy with the answer before it, is the server's doing and
                            // counts; a late wake-up of Gatling's own timer, or Gatling slow to send on a free
                            // connection, is the generator's and does not.
                            long answered = free.get(session.getInt("connection"));
                            long waited = answered == 0 ? 0 : Math.max(0, answered - due);
                            boolean queuedTooLong = run.queueLimit() != null && waited > run.queueLimit().toNanos();
                            if (queuedTooLong) {
                                run.tally().refusedByBalancer();
                            }
                            return session.setAll(run.requests().get((int) (k % run.requests().size())))
                                    .set("due", due).set("waited", waited).set("send", !queuedTooLong);
                        })
                        .doIf(session -> session.getBoolean("send")).then(
                                exec(pause(session -> untilDue(session.getLong("due"))))
                                .exec(session -> session.set("sent", System.nanoTime()))
                                .exec(request.check(status().in(200, 201, 202, 429, 503))))
                        .exec(session -> session.set("k", session.getLong("k") + connections))))
                .injectOpen(atOnceUsers(connections)))
                .maxDuration(Duration.ofSeconds(run.seconds()).plus(LEAD).plus(GRACE))
                .protocols(http.baseUrl(run.baseUrl()).disableWarmUp().disableCaching()
                        .acceptHeader("application/json"));
    }

    /** Gatling pauses in whole milliseconds: rounded up, so that no request goes out before it is due. */
    private static Duration untilDue(long due) {
        long nanos = due - System.nanoTime();
        return nanos <= 0 ? Duration.ZERO : Duration.ofMillis((nanos + 999_999) / 1_000_000);
    }
}
