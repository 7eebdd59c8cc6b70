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
        return new Pace(share, () -> now, nanos -> {
            sleeps.add(nanos);
            now += nanos;
        }, closed::set);
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aQuarterShareWorksAQuarterOfTheTime() {
        Pace pace = pace(0.25, new AtomicReference<>());
        for (int buffer = 0; buffer < 1000; buffer++) {
            now += 4 * MS; // one buffer's work
            pace.step();
        }
        assertEquals(Duration.ofMillis(4000), pace.working());
        // Paused three times as long as it worked, less the last pause it may still owe (under the minimum).
        long paused = pace.paused().toMillis();
        assertTrue(paused > 11_980 && paused <= 12_000, "paused " + paused + " ms");
    }

    @Test
    void shortWorkIsOwedAndPausedForTogether() {
        Pace pace = pace(0.25, new AtomicReference<>());
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
        now += 5_000 * MS;
        pace.step();
        assertEquals(List.of(), sleeps);
    }

    @Test
    void aPauseThatOverslepsIsCountedAndNotPausedAgain() {
        Pace pace = new Pace(0.5, () -> now, nanos -> {
            sleeps.add(nanos);
            now += nanos * 3; // a busy machine wakes the pass late
        }, p -> { });
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
        Pace pace = new Pace(0.25, () -> now, nanos -> {
            sleeps.add(nanos);
            throw new InterruptedException();
        }, p -> { });
        now += 100 * MS;
        pace.step();
        now += 100 * MS;
        pace.step(); // shutting down: the rest of the pass runs without pauses
        assertEquals(1, sleeps.size());
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> pace(0, new AtomicReference<>()));
        assertThrows(IllegalArgumentException.class, () -> pace(1.5, new AtomicReference<>()));
    }
}
