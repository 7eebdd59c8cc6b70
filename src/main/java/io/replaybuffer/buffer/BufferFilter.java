package io.replaybuffer.buffer;

import io.replaybuffer.platform.error.InvalidRequestProblem;

/** The filters of {@code GET /api/v1/replay-buffers}: each null matches any; at most {@code limit} buffers. */
public record BufferFilter(String userId, String roomName, String participantIdentity, int limit) {

    public static final int MAX_LIMIT = 1000;

    /** The filters checked, empty ones as none; called after the role check, so a user never learns the rules. */
    BufferFilter validated() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestProblem("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return new BufferFilter(blankToNull(userId, "userId"), blankToNull(roomName, "roomName"),
                blankToNull(participantIdentity, "participantIdentity"), limit);
    }

    private static String blankToNull(String value, String field) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 255) {
            throw new InvalidRequestProblem(field, "may be at most 255 characters");
        }
        return value;
    }
}
