package io.replaybuffer.clip.build;

import io.replaybuffer.segment.Footage;
import io.replaybuffer.segment.Segment;
import io.replaybuffer.segment.SegmentRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A post-roll capture waiting for footage, as kept in its capture folder ({@code wait.json}) so a restart resumes it.
 * {@code secured} are the segments linked so far (in order, from the window's start); the window continues the run
 * of egress attempt {@code attempt} after segment {@code lastSequence}, which ends at {@code lastEnd} (the anchor:
 * the last segment secured, or before any was, the newest one recorded when the capture was asked for). Footage is
 * never stitched across a gap: only that run's next segments ever join the window.
 */
public record PostRollWait(UUID clipId, UUID bufferId, Instant from, Instant to, double requestedSeconds,
        List<BuildOrder.Segment> secured, String attempt, long lastSequence, Instant lastEnd) {

    /** Below this, a shortfall is rounding, not truncation (as for captures of recorded footage). */
    static final Duration TOLERANCE = Duration.ofMillis(1);

    public PostRollWait {
        secured = List.copyOf(secured);
    }

    /** The footage reached the window's end. */
    boolean complete() {
        return !lastEnd.plus(TOLERANCE).isBefore(to);
    }

    /** The run this window continues, in {@code footage}; empty when its anchor is not there (any more). */
    Optional<SegmentRun> run(Footage footage) {
        for (SegmentRun run : footage.runs()) {
            for (Segment segment : run.segments()) {
                if (segment.sequence() == lastSequence && segment.attempt().tag().equals(attempt)) {
                    return Optional.of(run);
                }
            }
        }
        return Optional.empty();
    }

    /** The segments after the anchor, in its run, that still reach into the window (oldest first). */
    static List<Segment> following(SegmentRun run, PostRollWait wait) {
        List<Segment> next = new ArrayList<>();
        for (Segment segment : run.segments()) {
            if (segment.sequence() > wait.lastSequence && segment.start().isBefore(wait.to)) {
                next.add(segment);
            }
        }
        return next;
    }

    /** This wait after {@code passed} (in order): those reaching into the window were linked as {@code linked}. */
    PostRollWait after(List<Segment> passed, List<BuildOrder.Segment> linked) {
        if (passed.isEmpty()) {
            return this;
        }
        List<BuildOrder.Segment> all = new ArrayList<>(secured);
        all.addAll(linked);
        Segment last = passed.get(passed.size() - 1);
        return new PostRollWait(clipId, bufferId, from, to, requestedSeconds, all, attempt, last.sequence(), last.end());
    }

    /** Where the clip starts: the window's start, or its first secured footage when that began later. */
    Instant clipFrom() {
        return secured.isEmpty() || !secured.get(0).start().isAfter(from) ? from : secured.get(0).start();
    }

    /** Where the clip ends: the window's end, or where the secured footage stops short of it. */
    Instant clipTo() {
        return lastEnd.isBefore(to) ? lastEnd : to;
    }
}
