package io.replaybuffer.clip.build;

import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds MP4 builds on this replica: REPLAY_CAPTURE_CONCURRENCY run at once, REPLAY_CAPTURE_QUEUE more may wait.
 * A capture takes a place before anything is written, so past capacity it is refused (503) instead of piling up.
 */
@ApplicationScoped
public class BuildQueue {

    private final Semaphore places;
    private final ExecutorService workers;

    BuildQueue(ReplayConfig config) {
        this.places = new Semaphore(config.capture().concurrency() + config.capture().queue());
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.capture().concurrency(), task -> {
            Thread thread = new Thread(task, "clip-build-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Takes a place in the queue, or returns false when it is full. */
    public boolean tryEnter() {
        return places.tryAcquire();
    }

    /** Gives back a place taken by {@link #tryEnter} whose build will not be submitted. */
    public void leave() {
        places.release();
    }

    /** Runs a build in the place taken earlier; the place is freed when it ends. */
    public void submit(Runnable build) {
        workers.execute(() -> {
            try {
                build.run();
            } finally {
                places.release();
            }
        });
    }

    /**
     * Runs a build if a place is free right now, else returns false and runs nothing. Recovery uses this from the
     * sweep's thread, which must never wait for builds: a full queue leaves the rest for the next sweep.
     */
    public boolean trySubmit(Runnable build) {
        if (!tryEnter()) {
            return false;
        }
        submit(build);
        return true;
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
