package io.replaybuffer.clip;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A clip title as a client may send it: after stripping surrounding spaces, 1 to {@value ClipTitleValidator#MAX}
 * characters, with no control characters, line breaks or broken surrogates (PostgreSQL refuses NUL, and the title
 * becomes a download's file name). Null passes: every title field is optional.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ClipTitleValidator.class)
public @interface ClipTitle {

    String message() default "must be 1 to 200 characters of text";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
