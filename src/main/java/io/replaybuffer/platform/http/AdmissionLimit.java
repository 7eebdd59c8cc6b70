package io.replaybuffer.platform.http;

import java.time.Duration;

/**
 * How many API requests {@link LoadShedder} lets in at once, adjusted once a period from how late the event loops ran
 * in it: cut by a quarter after a late period, grown by one after {@value #PUNCTUAL_PERIODS_PER_STEP} punctual ones
 * (additive increase, multiplicative decrease: TCP's answer to the same question, so a replica backs off fast and
 * probes its way back slowly). Measured on one core at 3x its capacity, growing by one every period climbed back past
 * what the core could take within seconds, and each climb left callers a queue of hundreds of milliseconds.
 *
 * <p>Admitting fewer requests at once leaves fewer request threads wanting the CPU, so the event loops get to read
 * and refuse the rest promptly instead of leaving them queued, unseen, in the kernel.
 */
final class AdmissionLimit {

    /** Never fewer: one slow request must not hold up the whole replica. */
    static final int FLOOR = 2;
    /** Punctual periods (of 100 ms) per step up: from the floor back to 64 takes about half a minute. */
    static final int PUNCTUAL_PERIODS_PER_STEP = 5;

    private final int ceiling;
    private final Duration late;
    private volatile int current;
    private int punctual;

    /** Up to {@code ceiling} at once; {@code late} is the delay that counts as late, zero to keep the ceiling. */
    AdmissionLimit(int ceiling, Duration late) {
        this.ceiling = ceiling;
        this.late = late;
        this.current = ceiling;
    }

    int current() {
        return current;
    }

    int ceiling() {
        return ceiling;
    }

    /** The end of a period whose event loops were {@code delay} late; answers the new limit. Called from one thread. */
    int periodEnded(Duration delay) {
        if (late.isZero()) {
            return current;
        }
        if (delay.compareTo(late) > 0) {
            punctual = 0;
            current = Math.max(Math.min(FLOOR, ceiling), current * 3 / 4);
        } else if (++punctual == PUNCTUAL_PERIODS_PER_STEP) {
            punctual = 0;
            current = Math.min(ceiling, current + 1);
        }
        return current;
    }
}
