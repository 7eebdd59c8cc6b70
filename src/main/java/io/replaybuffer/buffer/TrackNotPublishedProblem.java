package io.replaybuffer.buffer;

import io.replaybuffer.platform.error.ProblemException;
import java.util.Map;

/** The track id is not one the participant publishes (or not of the right kind): nothing is recorded. */
public class TrackNotPublishedProblem extends ProblemException {

    private final String field;

    public TrackNotPublishedProblem(String field, String detail) {
        super("track-not-found", "Track not found", 404, detail);
        this.field = field;
    }

    @Override
    public Map<String, Object> extensions() {
        return Map.of("field", field);
    }
}
