package dev.dialplane.calls.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Custom SIP headers for the INVITE: only {@code X-} headers, names made of RFC 3261 token
 * characters (at most 255), values of printable ASCII (at most 1024), as LiveKit validates them.
 * Each bad header is reported under {@code custom_headers.<name>}.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = SipHeaders.Validator.class)
@interface SipHeaders {

    int MAX_HEADERS = 32;

    String message() default "invalid SIP header";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<SipHeaders, Map<String, String>> {

        private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-.!%*_+`'~]+");
        private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7E]*");

        @Override
        public boolean isValid(Map<String, String> headers, ConstraintValidatorContext context) {
            if (headers == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            var valid = true;
            if (headers.size() > MAX_HEADERS) {
                context.buildConstraintViolationWithTemplate("at most " + MAX_HEADERS + " headers are allowed")
                        .addConstraintViolation();
                valid = false;
            }
            for (var header : headers.entrySet()) {
                var problem = problem(header.getKey(), header.getValue());
                if (problem != null) {
                    context.buildConstraintViolationWithTemplate(problem)
                            .addPropertyNode(header.getKey())
                            .addConstraintViolation();
                    valid = false;
                }
            }
            return valid;
        }

        private static @Nullable String problem(String name, @Nullable String value) {
            if (name.length() < 3 || !name.regionMatches(true, 0, "X-", 0, 2)) {
                return "only custom X- headers may be set (e.g. X-Customer-Id)";
            }
            if (name.length() > 255 || !TOKEN.matcher(name).matches()) {
                return "header name must be at most 255 letters, digits or -.!%*_+`'~";
            }
            if (value == null) {
                return "header value must be a string";
            }
            if (value.length() > 1024 || !PRINTABLE_ASCII.matcher(value).matches()) {
                return "header value must be at most 1024 printable ASCII characters";
            }
            return null;
        }
    }
}
