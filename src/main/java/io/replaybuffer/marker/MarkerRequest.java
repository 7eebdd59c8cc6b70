package io.replaybuffer.marker;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;

/**
 * Body of {@code POST .../markers}: a {@code label} (1 to 100 characters, checked by {@link MarkerService} in code
 * points as PostgreSQL counts them), an optional {@code kind} and an optional {@code at} (default: now).
 */
public record MarkerRequest(
        @NotNull String label,
        @Pattern(regexp = "[a-z0-9_.-]{1,32}", message = "must be 1 to 32 of a-z, 0-9, '_', '.' and '-'") String kind,
        Instant at) {
}
