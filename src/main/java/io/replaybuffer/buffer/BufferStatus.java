package io.replaybuffer.buffer;

/** A buffer's life: STARTING → ACTIVE → STOPPING → STOPPED, or FAILED from any live state. */
public enum BufferStatus {
    STARTING, ACTIVE, STOPPING, STOPPED, FAILED;

    /** Still recording, or about to. */
    public boolean live() {
        return this == STARTING || this == ACTIVE;
    }

    /** Nothing more will happen to it. */
    public boolean finished() {
        return this == STOPPED || this == FAILED;
    }
}
