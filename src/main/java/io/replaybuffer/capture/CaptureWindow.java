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
        boolean truncated) {

    /** Below this, a shortfall is rounding, not truncation. */
    private static final Duration TOLERANCE = Duration.ofMillis(1);

    public Duration length() {
        return Duration.between(from, to);
    }

    /**
     * The window for {@code request}: the request's own rules first (so a wrong request is 400 whatever the footage),
     * then the footage. A clip is at least {@code minLength} long: shorter asks are invalid, and a window the footage
     * cuts below it has nothing worth capturing (below one frame there is nothing at all).
     */
    public static CaptureWindow choose(Footage footage, CaptureRequest request, Duration minLength, Duration maxLength) {
        boolean last = request.durationSeconds() != null;
        Duration wanted = wanted(request, minLength, maxLength);
        if (footage.runs().isEmpty()) {
            throw new NothingToCaptureProblem("the buffer has no footage yet");
        }
        CaptureWindow window = last ? lastSeconds(footage, wanted, request.durationSeconds())
                : range(footage, request, wanted);
        if (window.length().compareTo(minLength) < 0) {
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
