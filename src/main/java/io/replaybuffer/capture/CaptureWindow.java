package io.replaybuffer.capture;

import io.replaybuffer.platform.error.InvalidRequestProblem;
import io.replaybuffer.segment.Footage;
import io.replaybuffer.segment.Segment;
import io.replaybuffer.segment.SegmentRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The footage a capture takes: never stitched across a gap. It is the continuous run that ends at the window's end,
 * cut to the window; when that run is shorter than asked, the capture is truncated and says so.
 */
public record CaptureWindow(List<Segment> segments, Instant from, Instant to, double requestedSeconds,
        boolean truncated, String truncatedReason, Instant waitingUntil) {

    /** Below this, a shortfall is rounding, not truncation. */
    private static final Duration TOLERANCE = Duration.ofMillis(1);
    static final String STOPPED = "the buffer stopped before the post-roll was recorded";

    public CaptureWindow(List<Segment> segments, Instant from, Instant to, double requestedSeconds, boolean truncated) {
        this(segments, from, to, requestedSeconds, truncated, null, null);
    }

    /**
     * How far a request may reach past {@code now} (REPLAY_MAX_POST_ROLL_SECONDS), and whether the buffer still
     * records (a stopped one gets what it has, truncated, instead of a wait).
     */
    public record Reach(Instant now, Duration maxPostRoll, boolean recording) {
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** True when part of the window is still to be recorded: the capture waits for it until {@link #waitingUntil}. */
    public boolean waiting() {
        return waitingUntil != null;
    }

    /**
     * The window for {@code request}: the request's own rules first (so a wrong request is 400 whatever the footage),
     * then the footage. A clip is at least {@code minLength} long: shorter asks are invalid, and a window the footage
     * cuts below it has nothing worth capturing (below one frame there is nothing at all).
     */
    public static CaptureWindow choose(Footage footage, CaptureRequest request, Duration minLength, Duration maxLength,
            Reach reach) {
        boolean last = request.durationSeconds() != null;
        Duration wanted = wanted(request, minLength, maxLength);
        Instant ahead = ahead(request, wanted, last, reach);
        if (footage.runs().isEmpty()) {
            throw new NothingToCaptureProblem("the buffer has no footage yet");
        }
        CaptureWindow window = ahead != null ? postRoll(footage, ahead.minus(wanted), ahead, wanted, reach.recording())
                : last ? lastSeconds(footage, wanted, request.durationSeconds())
                : range(footage, request, wanted);
        if (!window.waiting() && window.length().compareTo(minLength) < 0) {
            throw new NothingToCaptureProblem("only " + seconds(window.length()) + " s of continuous footage lies in "
                    + "that window; a clip is at least " + seconds(minLength) + " s");
        }
        return window;
    }

    /**
     * The length {@code request} asks for, checked against the request's own rules alone (whatever the footage):
     * either {@code durationSeconds} or {@code startAt} + {@code endAt}, between {@code minLength} and
     * {@code maxLength}. Team replays check their request with it before looking at anyone's buffer.
     */
    public static Duration wanted(CaptureRequest request, Duration minLength, Duration maxLength) {
        boolean last = request.durationSeconds() != null;
        if (last == (request.startAt() != null || request.endAt() != null)) {
            throw new InvalidRequestProblem("durationSeconds",
                    "give either durationSeconds, or startAt and endAt, but not both");
        }
        return last ? lastWanted(request.durationSeconds(), minLength, maxLength)
                : rangeWanted(request, minLength, maxLength);
    }

    /**
     * Where {@code request} reaches past now (post-roll), checked by the same rules as {@link #choose}; null for a
     * window of recorded footage. Team replays fix their one window with it before capturing each player.
     */
    public static Instant postRollEnd(CaptureRequest request, Duration wanted, Reach reach) {
        return ahead(request, wanted, request.durationSeconds() != null, reach);
    }

    /**
     * The end of a window that reaches past now (post-roll), or null for one of recorded footage. Checks
     * {@code afterSeconds} and how far {@code endAt} lies ahead against REPLAY_MAX_POST_ROLL_SECONDS.
     */
    private static Instant ahead(CaptureRequest request, Duration wanted, boolean last, Reach reach) {
        long max = reach.maxPostRoll().toSeconds();
        if (request.afterSeconds() != null) {
            if (!last) {
                throw new InvalidRequestProblem("afterSeconds",
                        "goes with durationSeconds; for a range, give an endAt in the future instead");
            }
            Duration after = Duration.ofNanos(Math.round(request.afterSeconds() * 1e9));
            if (after.compareTo(reach.maxPostRoll()) > 0) {
                throw new InvalidRequestProblem("afterSeconds", "must be at most " + max);
            }
            if (after.compareTo(wanted) > 0) {
                throw new InvalidRequestProblem("afterSeconds", "must not exceed durationSeconds");
            }
            // To the microsecond, as the database keeps it: the answer shows what a later read shows.
            return after.isZero() ? null : reach.now().plus(after).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        }
        if (!last && request.endAt().isAfter(reach.now().plus(reach.maxPostRoll()))) {
            throw new InvalidRequestProblem("endAt", "may lie at most " + max + " s in the future");
        }
        return !last && request.endAt().isAfter(reach.now()) ? request.endAt() : null;
    }

    /**
     * A window reaching past now: the newest run's segments in it so far, the rest to come. From a buffer that no
     * longer records, what it has, truncated.
     */
    private static CaptureWindow postRoll(Footage footage, Instant from, Instant to, Duration wanted,
            boolean recording) {
        SegmentRun run = footage.newestRun().orElseThrow();
        double seconds = wanted.toNanos() / 1e9;
        if (!recording) {
            if (!run.end().isAfter(from)) {
                throw new NothingToCaptureProblem("the buffer stopped before " + from + "; nothing of that window"
                        + " was recorded");
            }
            CaptureWindow cut = cut(run, later(run.start(), from), run.end().isBefore(to) ? run.end() : to, seconds);
            return new CaptureWindow(cut.segments, cut.from, cut.to, seconds, cut.truncated,
                    cut.truncated ? STOPPED : null, null);
        }
        List<Segment> recorded = run.segments().stream()
                .filter(s -> s.end().isAfter(from) && s.start().isBefore(to)).toList();
        return new CaptureWindow(recorded, recorded.isEmpty() ? from : later(run.start(), from), to, seconds, false,
                null, to);
    }

    private static Duration lastWanted(double seconds, Duration minLength, Duration maxLength) {
        Duration wanted = Duration.ofNanos(Math.round(seconds * 1e9)); // Math.round saturates absurd values
        if (wanted.compareTo(minLength) < 0) {
            throw new InvalidRequestProblem("durationSeconds", "must be at least " + seconds(minLength));
        }
        if (wanted.compareTo(maxLength) > 0) {
            throw new InvalidRequestProblem("durationSeconds", "must be at most " + maxLength.toSeconds());
        }
        return wanted;
    }

    private static Duration rangeWanted(CaptureRequest request, Duration minLength, Duration maxLength) {
        if (request.startAt() == null || request.endAt() == null) {
            throw new InvalidRequestProblem(request.startAt() == null ? "startAt" : "endAt",
                    "startAt and endAt go together");
        }
        if (!request.endAt().isAfter(request.startAt())) {
            throw new InvalidRequestProblem("endAt", "must be after startAt");
        }
        Duration wanted = Duration.between(request.startAt(), request.endAt());
        if (wanted.compareTo(minLength) < 0) {
            throw new InvalidRequestProblem("endAt", "the range must be at least " + seconds(minLength) + " s long");
        }
        if (wanted.compareTo(maxLength) > 0) {
            throw new InvalidRequestProblem("endAt", "the range may be at most " + maxLength.toSeconds() + " s long");
        }
        return wanted;
    }

    private static CaptureWindow lastSeconds(Footage footage, Duration wanted, double seconds) {
        SegmentRun run = footage.newestRun().orElseThrow();
        Instant to = run.end();
        Instant from = later(run.start(), to.minus(wanted));
        return cut(run, from, to, seconds);
    }

    private static CaptureWindow range(Footage footage, CaptureRequest request, Duration wanted) {
        // The run that ends the window: the latest one that has begun before the window's end and overlaps it.
        SegmentRun run = null;
        for (SegmentRun candidate : footage.runs()) {
            if (candidate.start().isBefore(request.endAt()) && candidate.end().isAfter(request.startAt())) {
                run = candidate;
            }
        }
        if (run == null) {
            throw new NothingToCaptureProblem("the buffer holds no footage between " + request.startAt() + " and "
                    + request.endAt());
        }
        Instant from = later(run.start(), request.startAt());
        Instant to = request.endAt().isAfter(run.end()) ? run.end() : request.endAt();
        return cut(run, from, to, wanted.toNanos() / 1e9);
    }

    /** Seconds as people write them, to the millisecond: 1, 0.5, 2.25. */
    static String seconds(Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static CaptureWindow cut(SegmentRun run, Instant from, Instant to, double requestedSeconds) {
        List<Segment> segments = run.segments().stream()
                .filter(s -> s.end().isAfter(from) && s.start().isBefore(to))
                .toList();
        Duration got = Duration.between(from, to);
        boolean truncated = Duration.ofNanos(Math.round(requestedSeconds * 1e9)).minus(got).compareTo(TOLERANCE) > 0;
        return new CaptureWindow(segments, from, to, requestedSeconds, truncated);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
