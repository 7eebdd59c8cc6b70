package io.replaybuffer.egress.livekit;

/** LiveKit answered and said no (bad argument, permission, not found): retrying would not help. */
class LiveKitRejectedException extends RuntimeException {

    private final TwirpError error;

    LiveKitRejectedException(TwirpError error) {
        super(error.toString());
        this.error = error;
    }

    TwirpError error() {
        return error;
    }
}
