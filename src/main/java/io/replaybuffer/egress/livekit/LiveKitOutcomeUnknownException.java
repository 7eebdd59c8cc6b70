package io.replaybuffer.egress.livekit;

/**
 * A call that must not be repeated failed in a way that leaves its effect unknown: no answer in time, a reset, or a
 * 5xx after the request was sent. LiveKit may have acted on it all the same.
 */
class LiveKitOutcomeUnknownException extends RuntimeException {

    LiveKitOutcomeUnknownException(LiveKitTransientException cause) {
        super(cause.getMessage() + " (outcome unknown)", cause);
    }
}
