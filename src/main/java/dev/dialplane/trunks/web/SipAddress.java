package dev.dialplane.trunks.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

/**
 * A SIP host as LiveKit's inline trunk takes it: {@code host[:port]}, host a DNS name, IPv4 or
 * bracketed IPv6, and none of the URI parts LiveKit rejects ({@code sip:}, {@code @}, {@code ;},
 * {@code transport=}).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = SipAddress.Validator.class)
@interface SipAddress {

    String message() default "must be a SIP host[:port], e.g. sip.example.com or 203.0.113.5:5060";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<SipAddress, String> {

        private static final Pattern HOST = Pattern.compile(
                "(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                        + "|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?");

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            String problem = null;
            var lower = value.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("sip:") || lower.startsWith("sips:")) {
                problem = "must be a bare host[:port], without the 'sip:' scheme";
            } else if (value.contains("@")) {
                problem = "must be the carrier's host[:port] only; put the user name in 'username', not in the address";
            } else if (value.contains(";") || lower.contains("transport=")) {
                problem = "must not carry URI parameters such as ';transport=': set 'transport' instead";
            } else {
                var matcher = HOST.matcher(value);
                if (!matcher.matches()) {
                    return false;
                }
                var port = matcher.group(1);
                if (port != null && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
                    problem = "port must be between 1 and 65535";
                }
            }
            if (problem != null) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
                return false;
            }
            return true;
        }
    }
}
