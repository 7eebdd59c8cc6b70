package io.replaybuffer.capture;

import io.replaybuffer.clip.ClipTitle;
import jakarta.validation.constraints.Positive;
import java.time.Instant;

/** Body of a capture: either the last {@code durationSeconds}, or {@code startAt}–{@code endAt}; optional title. */
public record CaptureRequest(
        @Positive Double durationSeconds,
        Instant startAt,
        Instant endAt,
        @ClipTitle String title) {
}
