package io.replaybuffer.clip;

/** PROCESSING while the MP4 is built, then READY or FAILED for good. */
public enum ClipStatus {
    PROCESSING, READY, FAILED
}
