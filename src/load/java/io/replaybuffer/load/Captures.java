package io.replaybuffer.load;

import io.replaybuffer.bench.SoakFleet;
import io.replaybuffer.testing.ServiceProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
}
