package io.replaybuffer.capture;

import io.replaybuffer.clip.ClipTitle;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Instant;

/**
 * Body of a capture: either the last {@code durationSeconds}, or {@code startAt}–{@code endAt}; optional title.
 * {@code afterSeconds} (post-roll, up to REPLAY_MAX_POST_ROLL_SECONDS) puts that many of the {@code durationSeconds}
 * after the request; an {@code endAt} up to as far in the future does the same for a range.
 */
public record CaptureRequest(
        @Positive Double durationSeconds,
        Instant startAt,
        Instant endAt,
        @ClipTitle String title,
        @PositiveOrZero Double afterSeconds) {

    /** A capture of footage already recorded. */
    public CaptureRequest(Double durationSeconds, Instant startAt, Instant endAt, String title) {
        this(durationSeconds, startAt, endAt, title, null);
    }

    /** True when the request asks for post-roll seconds. */
    boolean postRoll() {
        return afterSeconds != null && afterSeconds > 0;
    }
}
