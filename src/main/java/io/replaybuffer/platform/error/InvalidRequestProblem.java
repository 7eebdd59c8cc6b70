package io.replaybuffer.platform.error;

import java.util.List;
import java.util.Map;

/** The request is well-formed JSON but breaks a rule; names the field(s) at fault. */
public class InvalidRequestProblem extends ProblemException {

    /** One rule broken by one field. */
    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    public InvalidRequestProblem(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public InvalidRequestProblem(List<FieldError> errors) {
        super("invalid-request", "Invalid request", 400, describe(errors));
        this.errors = List.copyOf(errors);
    }

    private static String describe(List<FieldError> errors) {
        StringBuilder text = new StringBuilder();
        for (FieldError error : errors) {
            text.append(text.length() == 0 ? "" : "; ").append(error.field()).append(": ").append(error.message());
        }
        return text.toString();
    }

    @Override
    public Map<String, Object> extensions() {
        return Map.of("errors", errors);
    }
}
