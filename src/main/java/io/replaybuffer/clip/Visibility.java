package io.replaybuffer.clip;

/** Who may see a clip: its owner, anyone with the link, or everyone (listed on the owner's public page). */
public enum Visibility {
    PRIVATE, UNLISTED, PUBLIC
}
