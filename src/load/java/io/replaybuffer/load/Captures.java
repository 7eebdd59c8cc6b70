package io.replaybuffer.load;

import io.replaybuffer.bench.SoakFleet;
import io.replaybuffer.testing.ServiceProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Capture acceptance: 200 players, each with an ACTIVE buffer holding real footage, and captures of their last 20 s
 * at 50 a second spread over them in turn, at a constant rate (ConstantRate). Accepted is 201/202; past the build
 * queue (REPLAY_CAPTURE_CONCURRENCY + REPLAY_CAPTURE_QUEUE) a capture is 503 with Retry-After.
 *
 * <p>The players are the first 200 of the buffers the service holds through the benchmark ({@link LoadFleet}, from
 * {@link SoakFleet}): egress' names and playlists, with a few real segments encoded once and copied in, because
 * encoding 200 recordings at once would need tens of cores (the earlier attempt with the simulated egress had not
 * all buffers holding footage after two minutes).
 */
final class Captures {

    static final int PLAYERS = 200;
    static final int RATE = 50;
    static final int SECONDS = 20;

    private Captures() {
    }

    static Tally.Result measure(LoadFleet fleet, ServiceProcess service) throws Exception {
        List<Map<String, Object>> captures = new ArrayList<>();
        for (SoakFleet.Buffer buffer : fleet.buffers().subList(0, Math.min(PLAYERS, fleet.buffers().size()))) {
            captures.add(LoadRun.post("capture", "/api/v1/replay-buffers/" + buffer.id() + "/captures",
                    LoadRun.token(buffer.player().user()), "{\"durationSeconds\":20}"));
        }
        return LoadRun.run(new LoadRun.Target(service.url(), service.handle()), captures, RATE, SECONDS);
    }

    /** The captures' section of docs/benchmarks.md: the run's figures, or why there are none. */
    static String text(Tally.Result captures, String capturesFailure) {
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
