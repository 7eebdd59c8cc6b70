package io.replaybuffer.platform.http;

import java.time.Duration;

/**
 * How many API requests {@link LoadShedder} lets in per period while the event loops run late; no limit while they
 * keep time. This is the gate for requests answered on an event loop (reads served from the cache): each one ends
 * before its loop reads the next, so however many arrive, few are ever in progress at once, and the in-flight limit
 * ({@link AdmissionLimit}) never sees them pile up. What they cost shows as the loops' lateness instead, and a
 * refusal costs a fraction of an answer, so admitting fewer per period lets the loops catch up.
 *
 * <p>A budget is set once two periods in a row are late (one alone is as likely a stall as overload, and overload
 * lasts); from then on every late period cuts it, to three quarters of the most let in during one period of the last
 * second, or of the budget if that is lower. Not of what was let in during the late period itself: a stall (a
 * collector's pause, the sweep busy on the replica's one core) lets few requests in while it lasts, and three
 * quarters of those refused 5% of a 2,000/s step on one core, which answers 20,000/s when nothing stalls (wrk, 128
 * connections). A punctual period adds a sixteenth while the loops are close to late (probing carefully near what
 * they manage), a quarter while they are far from it (under a quarter of the allowed delay: the load has dropped,
 * and growing by a sixteenth from the floor took 6 s to let half the knee in again, refusing a third of it
 * meanwhile); once a punctual period used less than half of the budget, demand is within what the loops manage and
 * the budget is lifted.
 */
final class PeriodBudget {

    /** No budget: every request the in-flight limit allows is let in. */
    static final int UNLIMITED = Integer.MAX_VALUE;
    /** Never fewer per period (50 a second at 100 ms): health of the replica's API must stay visible to clients. */
    static final int FLOOR = 5;

    /** The periods whose admissions a cut looks back on: a second's worth at 100 ms. */
    static final int MEMORY = 10;

    private final Duration late;
    private volatile int budget = UNLIMITED;
    /** Requests let in during each of the last {@link #MEMORY} periods, the latest at {@code next - 1}. */
    private final int[] recent = new int[MEMORY];
    private int next;
    private boolean lastLate;

    /** {@code late} is the delay that counts as late, as for the in-flight limit; zero turns the budget off. */
    PeriodBudget(Duration late) {
        this.late = late;
    }

    int current() {
        return budget;
    }

    /**
     * The end of a period whose event loops were {@code delay} late and in which {@code admitted} requests were let
     * in; answers the next period's budget. Called from one thread.
     */
    int periodEnded(Duration delay, int admitted) {
        if (late.isZero()) {
            return budget;
        }
        recent[next] = admitted;
        next = (next + 1) % MEMORY;
        boolean wasLate = lastLate;
        lastLate = delay.compareTo(late) > 0;
        if (lastLate && (wasLate || budget != UNLIMITED)) {
            budget = Math.max(FLOOR, Math.min(budget, mostRecentlyAdmitted()) / 4 * 3);
        } else if (!lastLate && budget != UNLIMITED) {
            int step = delay.compareTo(late.dividedBy(4)) < 0 ? budget / 4 : budget / 16;
            budget = admitted < budget / 2 ? UNLIMITED : budget + Math.max(1, step);
        }
        return budget;
    }

    private int mostRecentlyAdmitted() {
        int most = 0;
        for (int admitted : recent) {
            most = Math.max(most, admitted);
        }
        return most;
    }
}
