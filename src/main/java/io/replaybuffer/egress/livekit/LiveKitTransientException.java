package io.replaybuffer.egress.livekit;

/** LiveKit did not answer, or answered "try later": worth a retry, and counted by the circuit breaker. */
class LiveKitTransientException extends RuntimeException {

    LiveKitTransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
