package io.replaybuffer.platform.time;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps one background pass (the reconciler's, the sweep's) to a share of the time it runs. The pass calls
 * {@link #step()} before each piece of work, one buffer each; when it has worked more than {@code share} of the time
 * since it started, the step pauses until it has not. A pass over 1,000 buffers then takes a quarter of a core for
 * sixteen seconds instead of a whole core for four, and the requests that share the core wait a quarter as long.
 *
 * <p>Work is measured by the wall clock, not by the thread's CPU time: waiting on the database counts as work, and on
 * a busy core, where the pass itself runs slower, it pauses longer. Both err toward leaving the core to requests.
 *
 * <p>A pass that knows how many pieces of work it has also gets a deadline: it never pauses so long that, at the rate
 * it has worked so far, the rest would end past it. The sweep and the reconciler run on one replica for the whole
 * fleet, and a fleet large enough that a quarter share would not finish within the period gets a larger share,
 * and at worst none, rather than passes that skip every other period.
 */
public final class Pace implements AutoCloseable {

    /** Shorter pauses are owed and added up, not slept: each sleep costs a wake-up and a timer. */
    static final long MIN_PAUSE_NANOS = Duration.ofMillis(10).toNanos();

    /** Sleeps; a seam for tests, which count instead. */
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final double share;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final Consumer<Pace> onClose;
    private final int items;
    private final long within;
    private final long started;
    private int done;
    private long paused;
    private long closedAt = -1;
    private boolean interrupted;

    /**
     * A pass of about {@code items} pieces of work (0: unknown, no deadline) that should end {@code within} after it
     * starts; {@code share} of its time works.
     */
    Pace(double share, int items, Duration within, LongSupplier nanoTime, Sleeper sleeper, Consumer<Pace> onClose) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1]: " + share);
        }
        this.share = share;
        this.items = items;
        this.within = within.toNanos();
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.onClose = onClose;
        this.started = nanoTime.getAsLong();
    }

    /** A pass that never pauses: for tools and tests that sweep a folder of their own. */
    public static Pace unpaced() {
        return new Pace(1, 0, Duration.ZERO, System::nanoTime, nanos -> { }, pace -> { });
    }

    /**
     * Before each piece of work: pauses if the pass is ahead of its share and, at the rate of the pieces before this
     * one, has time left before its deadline.
     */
    public void step() {
        int finished = done++;
        if (share >= 1 || interrupted || finished == 0) {
            return;
        }
        long elapsed = nanoTime.getAsLong() - started;
        long working = elapsed - paused;
        long owed = (long) (working / share) - elapsed;
        if (items > 0) {
            // An estimate (the sweep counts buffers, and the volume may hold a few more folders): past it, the rest
            // is taken as nothing, and the deadline alone bounds the pause.
            long rest = (long) ((double) working / finished * Math.max(0, items - finished));
            owed = Math.min(owed, within - elapsed - rest);
        }
        if (owed < MIN_PAUSE_NANOS) {
            return;
        }
        long before = nanoTime.getAsLong();
        try {
            sleeper.sleep(owed);
        } catch (InterruptedException e) {
            // Shutting down: no more pauses, and the flag stays set for the caller; what is left of the pass may
            // then fail fast, and the next pass, on this replica or another, does it again.
            interrupted = true;
            Thread.currentThread().interrupt();
        }
        paused += nanoTime.getAsLong() - before;
    }

    /** Time spent working so far (or until closed). */
    public Duration working() {
        long end = closedAt >= 0 ? closedAt : nanoTime.getAsLong();
        return Duration.ofNanos(end - started - paused);
    }

    /** Time spent pausing so far. */
    public Duration paused() {
        return Duration.ofNanos(paused);
    }

    /** Ends the pass and reports its working and paused time (once). */
    @Override
    public void close() {
        if (closedAt < 0) {
            closedAt = nanoTime.getAsLong();
            onClose.accept(this);
        }
    }
}
