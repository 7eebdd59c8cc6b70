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

    public static CaptureWindow choose(Footage footage, CaptureRequest request, Duration maxLength) {
        boolean last = request.durationSeconds() != null;
        if (last == (request.startAt() != null || request.endAt() != null)) {
            throw new InvalidRequestProblem("durationSeconds",
                    "give either durationSeconds, or startAt and endAt, but not both");
        }
        if (footage.runs().isEmpty()) {
            throw new NothingToCaptureProblem("the buffer has no footage yet");
        }
        return last ? lastSeconds(footage, request.durationSeconds(), maxLength) : range(footage, request, maxLength);
    }

    private static CaptureWindow lastSeconds(Footage footage, double seconds, Duration maxLength) {
        Duration wanted = Duration.ofNanos(Math.round(seconds * 1e9));
        if (wanted.compareTo(maxLength) > 0) {
            throw new InvalidRequestProblem("durationSeconds", "must be at most " + maxLength.toSeconds());
        }
        SegmentRun run = footage.newestRun().orElseThrow();
        Instant to = run.end();
        Instant from = later(run.start(), to.minus(wanted));
        return cut(run, from, to, seconds);
    }

    private static CaptureWindow range(Footage footage, CaptureRequest request, Duration maxLength) {
        if (request.startAt() == null || request.endAt() == null) {
            throw new InvalidRequestProblem(request.startAt() == null ? "startAt" : "endAt",
                    "startAt and endAt go together");
        }
        if (!request.endAt().isAfter(request.startAt())) {
            throw new InvalidRequestProblem("endAt", "must be after startAt");
        }
        Duration wanted = Duration.between(request.startAt(), request.endAt());
        if (wanted.compareTo(maxLength) > 0) {
            throw new InvalidRequestProblem("endAt", "the range may be at most " + maxLength.toSeconds() + " s long");
        }
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
