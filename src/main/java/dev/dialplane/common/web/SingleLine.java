package dev.dialplane.common.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jspecify.annotations.Nullable;

/**
 * A single-line text field: no C0 or C1 control character (so no NUL, which PostgreSQL cannot
 * store, and no CR/LF, which would split a SIP or HTTP header), no unpaired surrogate, and, when
 * a person reads the value ({@link #readable()}), no bidirectional override or isolate
 * (U+202A–U+202E, U+2066–U+2069) that would make it display as something else.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = SingleLine.Validator.class)
public @interface SingleLine {

    /** A name or label people read; {@code false} for credentials and technical values. */
    boolean readable() default true;

    String message() default "must be a single line of text";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<SingleLine, String> {

        private boolean readable;

        @Override
        public void initialize(SingleLine annotation) {
            readable = annotation.readable();
        }

        @Override
        public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            var problem = TextRules.problem(value, false, readable);
            return problem == null || TextRules.report(context, problem);
        }
    }
}
