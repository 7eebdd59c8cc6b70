package io.replaybuffer.capture.team;

import io.replaybuffer.capture.CaptureRequest;
import io.replaybuffer.clip.ClipTitle;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * Body of a team replay: the window as for a single capture ({@code durationSeconds}, or {@code startAt} +
 * {@code endAt}), optional {@code afterSeconds} (post-roll, as for a single capture), optional {@code participants}
 * (identities; default every recording buffer in the room) and an optional {@code title} for every clip.
 */
public record TeamCaptureRequest(
        @Positive Double durationSeconds,
        @PositiveOrZero Double afterSeconds,
        Instant startAt,
        Instant endAt,
        @Size(max = TeamCaptureRequest.MAX_PARTICIPANTS) List<@NotBlank @Size(max = 255) String> participants,
        @ClipTitle String title) {

    /** The most players one team replay captures (listed, or found in the room). */
    public static final int MAX_PARTICIPANTS = 100;

    /** The window part, as a single capture asks it. */
    CaptureRequest window() {
        return new CaptureRequest(durationSeconds, startAt, endAt, title, afterSeconds);
    }
}
