package io.replaybuffer.platform.events;

/** Something that happened to one user's resources: {@code type} such as {@code buffer.active}, data as JSON. */
public record UserEvent(String userId, String type, String json) {
}
