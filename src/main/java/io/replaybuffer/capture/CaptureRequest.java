package io.replaybuffer.capture;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Body of a capture: either the last {@code durationSeconds}, or {@code startAt}–{@code endAt}; optional title. */
public record CaptureRequest(
        @Positive Double durationSeconds,
        Instant startAt,
        Instant endAt,
        @Size(min = 1, max = 200) String title) {
}
