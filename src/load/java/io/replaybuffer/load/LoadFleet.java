package io.replaybuffer.load;

import io.replaybuffer.bench.SoakFleet;
import io.replaybuffer.bench.SoakProbe;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.ItEnvironment;
import io.replaybuffer.testing.ServiceProcess;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The buffers the service holds while the load benchmark runs (LOAD_BUFFERS, 1,000 by default: the "one
 * replica holds 1,000 active buffers while serving the load benchmark"): each ACTIVE, back-filled with 72 segments of
 * real footage and given one more every 10 s by its (fake) egress, as {@link SoakFleet} does for the soak. The
 * service then also indexes their playlists, sweeps their 72,000 segments and reconciles them with LiveKit while it
 * answers the benchmark. Heap after a full GC is read when they are all started and again at the end.
 */
final class LoadFleet implements AutoCloseable {

    static final int BUFFERS = Integer.getInteger("load.buffers", 1000);

    private final SoakFleet fleet;
    private final SoakProbe probe;
    private final ItEnvironment it;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    private SoakProbe.Sample started;

    LoadFleet(FakeLiveKit fake, ItEnvironment it, ServiceProcess service) throws Exception {
        this.it = it;
        this.fleet = new SoakFleet(fake, it.segments().getParent().resolve("footage"));
        this.probe = new SoakProbe(service.pid(), SoakProbe.redisDb());
    }

    /** Starts the buffers (recording from the first), then reads the heap. */
    LoadFleet start() throws Exception {
        fleet.recordOn(ticks);
        fleet.start(BUFFERS);
        started = sample();
        return this;
    }

    List<SoakFleet.Buffer> buffers() {
        return fleet.buffers();
    }

    SoakProbe.Sample started() {
        return started;
    }

    SoakProbe.Sample sample() throws Exception {
        try (Connection db = it.connect()) {
            return probe.sample(0, db);
        }
    }

    @Override
    public void close() {
        ticks.shutdownNow();
    }
}
