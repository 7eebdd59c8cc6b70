package io.replaybuffer.platform.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pace on a clock the test moves: work is advancing it between steps, a pause is the sleeper advancing it. */
class PaceTest {

    private static final long MS = 1_000_000;

    private long now = 1_000 * MS;
    private final List<Long> sleeps = new ArrayList<>();

    private Pace pace(double share, AtomicReference<Pace> closed) {
        return pace(share, 0, Duration.ZERO, closed);
    }

    private Pace pace(double share, int items, Duration within, AtomicReference<Pace> closed) {
        return new Pace(share, items, within, () -> now, nanos -> {
            sleeps.add(nanos);
            now += nanos;
        }, closed::set);
    }

    /** A pass of {@code pieces} pieces of {@code ms} each, stepping the pace before each one. */
    private void work(Pace pace, int pieces, long ms) {
        for (int piece = 0; piece < pieces; piece++) {
            pace.step();
            now += ms * MS;
        }
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aQuarterShareWorksAQuarterOfTheTime() {
        Pace pace = pace(0.25, new AtomicReference<>());
        work(pace, 1000, 4); // 1,000 buffers of 4 ms
        assertEquals(Duration.ofMillis(4000), pace.working());
        // Paused three times as long as it worked, but for the last buffer's (no step after it).
        assertEquals(Duration.ofMillis(11_988), pace.paused());
    }

    @Test
    void shortWorkIsOwedAndPausedForTogether() {
        Pace pace = pace(0.25, new AtomicReference<>());
        pace.step(); // before the first piece: nothing worked, nothing owed
        now += 2 * MS; // owes 6 ms: under the minimum, no sleep
        pace.step();
        assertEquals(List.of(), sleeps);
        now += 2 * MS; // owes 12 ms in all: one sleep for both
        pace.step();
        assertEquals(List.of(12 * MS), sleeps);
    }

    @Test
    void aFullShareNeverPauses() {
        Pace pace = pace(1, new AtomicReference<>());
        pace.step();
        now += 5_000 * MS;
        pace.step();
        assertEquals(List.of(), sleeps);
    }

    @Test
    void aPauseThatOverslepsIsCountedAndNotPausedAgain() {
        Pace pace = new Pace(0.5, 0, Duration.ZERO, () -> now, nanos -> {
            sleeps.add(nanos);
            now += nanos * 3; // a busy machine wakes the pass late
        }, p -> { });
        pace.step();
        now += 100 * MS;
        pace.step(); // owes 100 ms, sleeps 300
        now += 100 * MS;
        pace.step(); // worked 200, paused 300: ahead of its share, owes nothing
        assertEquals(List.of(100 * MS), sleeps);
        assertEquals(Duration.ofMillis(300), pace.paused());
    }

    @Test
    void closingReportsWorkingAndPausedTimeOnce() {
        AtomicReference<Pace> closed = new AtomicReference<>();
        Pace pace = pace(0.5, closed);
        pace.step();
        now += 40 * MS;
        pace.step();
        now += 10 * MS;
        pace.close();
        now += 1_000 * MS; // after closing, nothing more counts
        assertEquals(Duration.ofMillis(50), closed.get().working());
        assertEquals(Duration.ofMillis(40), closed.get().paused());
        closed.set(null);
        pace.close();
        assertEquals(null, closed.get());
    }

    @Test
    void anInterruptedPauseEndsPacingAndKeepsTheFlag() {
        Pace pace = new Pace(0.25, 0, Duration.ZERO, () -> now, nanos -> {
            sleeps.add(nanos);
            throw new InterruptedException();
        }, p -> { });
        pace.step();
        now += 100 * MS;
        pace.step();
        now += 100 * MS;
        pace.step(); // shutting down: the rest of the pass runs without pauses
        assertEquals(1, sleeps.size());
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void aFleetTooLargeForItsShareWithinTheDeadlineGetsALargerOne() {
        // 1,000 buffers of 20 ms: 20 s of work, which a quarter share would spread over 80 s; the deadline is 40 s.
        Pace pace = pace(0.25, 1000, Duration.ofSeconds(40), new AtomicReference<>());
        work(pace, 1000, 20);
        long took = pace.working().plus(pace.paused()).toMillis();
        assertTrue(took > 39_000 && took <= 40_000, "took " + took + " ms");
        assertEquals(Duration.ofSeconds(20), pace.working());
    }

    @Test
    void aFleetWhoseWorkAloneOutlastsTheDeadlineIsNotPausedAtAll() {
        Pace pace = pace(0.25, 1000, Duration.ofSeconds(10), new AtomicReference<>());
        work(pace, 1000, 20);
        assertEquals(List.of(), sleeps);
    }

    @Test
    void aSmallFleetKeepsItsShareWellInsideTheDeadline() {
        Pace pace = pace(0.25, 100, Duration.ofSeconds(20), new AtomicReference<>());
        work(pace, 100, 20);
        assertEquals(Duration.ofMillis(5_940), pace.paused()); // three times the work but the last buffer's
    }

    @Test
    void moreFoldersThanEstimatedAreBoundedByTheDeadlineAlone() {
        Pace pace = pace(0.25, 10, Duration.ofSeconds(1), new AtomicReference<>());
        work(pace, 100, 20);
        // 2 s of work: past the 1 s deadline nothing more is paused, so it ends soon after the work does.
        assertTrue(pace.paused().toMillis() <= 1_000, "paused " + pace.paused().toMillis() + " ms");
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> pace(0, new AtomicReference<>()));
        assertThrows(IllegalArgumentException.class, () -> pace(1.5, new AtomicReference<>()));
    }
}
