package io.replaybuffer.platform.http;

import java.time.Duration;

/**
 * How many API requests {@link LoadShedder} lets in at once, adjusted once a period from how late the event loops ran
 * in it: cut by a quarter after a late period, grown by one after a punctual one (additive increase, multiplicative
 * decrease: TCP's answer to the same question, so a replica backs off fast and probes its way back slowly).
 *
 * <p>Admitting fewer requests at once leaves fewer request threads wanting the CPU, so the event loops get to read
 * and refuse the rest promptly instead of leaving them queued, unseen, in the kernel.
 */
final class AdmissionLimit {

    /** Never fewer: one slow request must not hold up the whole replica. */
    static final int FLOOR = 2;

    private final int ceiling;
    private final Duration late;
    private volatile int current;

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

    /** The end of a period whose event loops were at worst {@code worstDelay} late; answers the new limit. */
    int periodEnded(Duration worstDelay) {
        if (late.isZero()) {
            return current;
        }
        int next = worstDelay.compareTo(late) > 0
                ? Math.max(Math.min(FLOOR, ceiling), current * 3 / 4)
                : Math.min(ceiling, current + 1);
        current = next;
        return next;
    }
}
