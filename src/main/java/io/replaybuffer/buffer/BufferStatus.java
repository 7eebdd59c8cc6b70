package io.replaybuffer.buffer;

/** A buffer's life: STARTING → ACTIVE → STOPPING → STOPPED, or FAILED from any live state. */
public enum BufferStatus {
    STARTING, ACTIVE, STOPPING, STOPPED, FAILED;

    /** Recording, or about to: the one buffer a user may have at a time (the database's partial unique index). */
    public boolean recording() {
        return this == STARTING || this == ACTIVE;
    }

    /** Not finished: its egress may still write (STOPPING included), so reconcile and cleanup still watch it. */
    public boolean live() {
        return !finished();
    }

    /** Nothing more will happen to it. */
    public boolean finished() {
        return this == STOPPED || this == FAILED;
    }
}
