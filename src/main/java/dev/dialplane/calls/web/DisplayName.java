package dev.dialplane.calls.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A caller display name that fits inside the quoted string of the SIP {@code From} header: no
 * control characters, double quotes or backslashes (LiveKit refuses the call otherwise).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DisplayName.Validator.class)
@interface DisplayName {

    String message() default "must not contain control characters, double quotes or backslashes";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<DisplayName, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.chars().noneMatch(c -> Character.isISOControl(c) || c == '"' || c == '\\');
        }
    }
}
