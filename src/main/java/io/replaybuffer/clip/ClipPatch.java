package io.replaybuffer.clip;

import jakarta.validation.constraints.Size;

/** Body of {@code PATCH /api/v1/clips/{id}}: fields left out stay as they are. */
public record ClipPatch(@Size(min = 1, max = 200) String title, Visibility visibility) {
}
