package io.replaybuffer.clip;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link ClipTitle}; {@link #normalise} is what gets stored, so the check and the row agree. */
public final class ClipTitleValidator implements ConstraintValidator<ClipTitle, String> {

    /** The database's limit (clips.title), counted in characters (code points) as PostgreSQL counts them. */
    public static final int MAX = 200;

    /** The title as stored: surrounding white space stripped. */
    public static String normalise(String title) {
        return title == null ? null : title.strip();
    }

    @Override
    public boolean isValid(String title, ConstraintValidatorContext context) {
        if (title == null) {
            return true;
        }
        String stored = normalise(title);
        String problem = null;
        if (stored.isEmpty()) {
            problem = "must not be blank";
        } else if (stored.codePoints().anyMatch(ClipTitleValidator::forbidden)) {
            problem = "must not contain control characters or line breaks";
        } else if (stored.codePointCount(0, stored.length()) > MAX) {
            problem = "must be at most " + MAX + " characters";
        }
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
        return false;
    }

    private static boolean forbidden(int codePoint) {
        return switch (Character.getType(codePoint)) {
            // NUL and the other C0/C1 controls; a lone surrogate (not text, and PostgreSQL refuses it); U+2028/9.
            case Character.CONTROL, Character.SURROGATE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }
}
