package io.replaybuffer.clip;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /api/v1/clips/{id}/links}: how long the link works (one minute to one week). */
public record LinkRequest(@NotNull @Min(60) @Max(604_800) Long expiresInSeconds) {

    /** A signed download URL and when it stops working. */
    public record Link(String url, java.time.Instant expiresAt) {
    }
}
