package io.replaybuffer.clip.quota;

/** What a user has used of their clip storage, and what they may use. */
public record QuotaView(long usedBytes, long limitBytes, int clipCount, int limitClips) {
}
