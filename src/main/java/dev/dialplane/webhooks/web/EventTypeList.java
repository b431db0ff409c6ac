package dev.dialplane.webhooks.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Objects;

/**
 * A subscription list: absent means every event type, so a list that is present must name at least
 * one. (Unknown names are refused earlier, when the JSON is read into event types.)
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = EventTypeList.Validator.class)
@interface EventTypeList {

    String message() default
            "must name at least one event type; leave event_types out (or null) to receive every event type";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<EventTypeList, List<?>> {

        @Override
        public boolean isValid(List<?> value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            if (value.stream().anyMatch(Objects::isNull)) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate("must not contain null")
                        .addConstraintViolation();
                return false;
            }
            return !value.isEmpty();
        }
    }
}
