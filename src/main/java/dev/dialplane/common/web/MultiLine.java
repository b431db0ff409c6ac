package dev.dialplane.common.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Free text that may span lines (a description) or free-form JSON (a call's context, every key
 * and string in it): only NUL, which PostgreSQL cannot store in text or jsonb, and unpaired
 * surrogates, which are not text at all, are refused.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = MultiLine.Validator.class)
public @interface MultiLine {

    String message() default "must be text without NUL characters or unpaired surrogates";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<MultiLine, Object> {

        @Override
        public boolean isValid(@Nullable Object value, ConstraintValidatorContext context) {
            var problem = find(value, 0);
            return problem == null || TextRules.report(context, problem);
        }

        private static @Nullable String find(@Nullable Object value, int depth) {
            if (depth > 200) {
                return null;
            }
            if (value instanceof String text) {
                return TextRules.problem(text, true, false);
            }
            if (value instanceof Map<?, ?> map) {
                for (var entry : map.entrySet()) {
                    var problem = find(entry.getKey(), depth + 1);
                    if (problem == null) {
                        problem = find(entry.getValue(), depth + 1);
                    }
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            if (value instanceof Collection<?> items) {
                for (var item : items) {
                    var problem = find(item, depth + 1);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            return null;
        }
    }
}
