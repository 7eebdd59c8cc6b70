package io.replaybuffer.platform.events;

import io.replaybuffer.platform.error.ProblemException;
import java.time.Duration;
import java.util.Map;

/** The caller (REPLAY_MAX_STREAMS_PER_USER) or this replica (REPLAY_MAX_STREAMS) has as many event streams as allowed. */
public class TooManyStreamsProblem extends ProblemException {

    private final int maxStreams;

    private TooManyStreamsProblem(String detail, int maxStreams) {
        super("too-many-streams", "Too many event streams", 429, detail);
        this.maxStreams = maxStreams;
    }

    static TooManyStreamsProblem forUser(int max) {
        return new TooManyStreamsProblem("You already have " + max + " event streams open; close one (another tab "
                + "or device) and try again", max);
    }

    static TooManyStreamsProblem forReplica(int max) {
        return new TooManyStreamsProblem("This server has as many event streams open as it serves (" + max
                + "); try again shortly", max);
    }

    /** A stream is held until its client goes; one keepalive period is a fair guess at the next chance. */
    @Override
    public Duration retryAfter() {
        return EventsResource.KEEPALIVE;
    }

    @Override
    public Map<String, Object> extensions() {
        return Map.of("maxStreams", maxStreams);
    }
}
