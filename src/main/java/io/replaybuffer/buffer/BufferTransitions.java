package io.replaybuffer.buffer;

import io.replaybuffer.egress.EgressState;
import java.util.Optional;

/**
 * What an egress state means for a buffer. Buffers only move forward (STARTING → ACTIVE → STOPPING → STOPPED/FAILED)
 * and a finished buffer never changes, so a late, repeated or out-of-order event is harmless: an ENDED buffer never
 * returns to ACTIVE.
 */
public final class BufferTransitions {

    private BufferTransitions() {
    }

    /** The buffer's next status, or empty when the event changes nothing. */
    public static Optional<BufferStatus> next(BufferStatus current, EgressState egress) {
        if (current.finished()) {
            return Optional.empty();
        }
        BufferStatus next = switch (egress) {
            case STARTING -> null;
            case ACTIVE -> current == BufferStatus.STARTING ? BufferStatus.ACTIVE : null;
            case ENDING -> current.recording() ? BufferStatus.STOPPING : null;
            case COMPLETE -> BufferStatus.STOPPED;
            case FAILED, ABORTED, LIMIT_REACHED -> BufferStatus.FAILED;
        };
        return Optional.ofNullable(next).filter(n -> n != current);
    }
}
