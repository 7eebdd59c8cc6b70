package io.replaybuffer.load;

import io.replaybuffer.bench.SoakFleet;
import io.replaybuffer.bench.SoakProbe;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.ItEnvironment;
import io.replaybuffer.testing.ServiceProcess;
import java.sql.Connection;
import java.time.Duration;
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

    /**
     * Starts the buffers (recording from the first), waits until the service has taken them in, then reads the heap.
     * The wait matters to what is measured next: 1,000 new buffers are 72,000 back-filled segments to index, and a
     * session-8 run measured its first list steps while that went on (60% refused at 500/s in the warm-up).
     */
    LoadFleet start(ServiceProcess service) throws Exception {
        fleet.recordOn(ticks);
        fleet.start(BUFFERS);
        awaitSettled(service.handle());
        started = sample();
        return this;
    }

    /**
     * Until the service uses less than half a core over 5 s, 5 min at most: what is left then is the buffers' steady
     * recording (a segment each every 10 s), which goes on through every phase.
     */
    private static void awaitSettled(ProcessHandle service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        double cores = Double.MAX_VALUE;
        while (cores > 0.5 && System.nanoTime() < deadline) {
            double before = CpuTime.millis(service);
            Thread.sleep(5_000);
            cores = (CpuTime.millis(service) - before) / 5_000;
            System.out.printf("fleet: the service used %.2f of a core over 5 s%n", cores);
        }
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
