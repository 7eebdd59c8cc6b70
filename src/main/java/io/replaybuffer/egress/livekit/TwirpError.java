package io.replaybuffer.egress.livekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;

/** A Twirp error answer: non-2xx with {@code {"code": "...", "msg": "..."}}. */
record TwirpError(int httpStatus, String code, String msg) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Codes that say "not now" rather than "never": another attempt may well succeed. */
    private static final Set<String> TRANSIENT = Set.of("unavailable", "internal", "deadline_exceeded",
            "resource_exhausted", "unknown", "aborted");

    static TwirpError parse(int httpStatus, String body) {
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            if (node != null && node.hasNonNull("code")) {
                return new TwirpError(httpStatus, node.get("code").asText(), node.path("msg").asText(""));
            }
        } catch (Exception ignored) {
            // Not Twirp JSON (a proxy's error page, say): fall through to the HTTP status.
        }
        return new TwirpError(httpStatus, httpStatus >= 500 ? "unavailable" : "unknown", "HTTP " + httpStatus);
    }

    boolean isTransient() {
        return TRANSIENT.contains(code) || httpStatus == 502 || httpStatus == 503 || httpStatus == 504;
    }

    @Override
    public String toString() {
        return code + ": " + msg;
    }
}
