package io.replaybuffer.clip;


/** Body of {@code PATCH /api/v1/clips/{id}}: fields left out stay as they are. */
public record ClipPatch(@ClipTitle String title, Visibility visibility) {
}
