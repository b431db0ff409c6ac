package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.FieldViolation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Bean Validation with violations named as clients name fields (snake_case), for endpoints that
 * add checks of their own and must report every bad field in one 422. Each violation also carries
 * the Pydantic error type it corresponds to, for the MrAssistant dialect's FastAPI-shaped 422.
 */
@Component
public class RequestValidator {

    /** A request form with checks Bean Validation cannot express; they are reported with the rest. */
    public interface Checked {
        List<FieldViolation> check();
    }

    private final Validator validator;

    RequestValidator(Validator validator) {
        this.validator = validator;
    }

    public List<FieldViolation> violations(Object request) {
        var found = new ArrayList<FieldViolation>();
        for (var violation : validator.validate(request)) {
            found.add(describe(violation));
        }
        if (request instanceof Checked checked) {
            found.addAll(checked.check());
        }
        return found;
    }

    private static FieldViolation describe(ConstraintViolation<?> violation) {
        var field = JsonNames.of(violation.getPropertyPath());
        var message = violation.getMessage();
        var loc = FieldViolation.locOf(field);
        var annotation = violation.getConstraintDescriptor().getAnnotation();
        var input = violation.getInvalidValue();
        String type = "value_error";
        Map<String, Object> ctx = Map.of("error", message);
        switch (annotation) {
            case NotNull ignored -> {
                type = "missing";
                ctx = Map.of();
            }
            case NotBlank ignored -> {
                if (input == null) {
                    type = "missing";
                    ctx = Map.of();
                } else {
                    type = "string_too_short";
                    ctx = Map.of("min_length", 1);
                }
            }
            case Min min -> {
                type = "greater_than_equal";
                ctx = Map.of("ge", min.value());
            }
            case Max max -> {
                type = "less_than_equal";
                ctx = Map.of("le", max.value());
            }
            case DecimalMin min -> {
                type = min.inclusive() ? "greater_than_equal" : "greater_than";
                ctx = Map.of(min.inclusive() ? "ge" : "gt", new BigDecimal(min.value()));
            }
            case DecimalMax max -> {
                type = max.inclusive() ? "less_than_equal" : "less_than";
                ctx = Map.of(max.inclusive() ? "le" : "lt", new BigDecimal(max.value()));
            }
            case Size size -> {
                var length = input instanceof CharSequence text ? text.length() : -1;
                if (length >= 0 && length > size.max()) {
                    type = input instanceof CharSequence ? "string_too_long" : "too_long";
                    ctx = Map.of("max_length", size.max());
                } else {
                    type = input instanceof CharSequence ? "string_too_short" : "too_short";
                    ctx = Map.of("min_length", size.min());
                }
            }
            case Pattern pattern -> {
                type = "string_pattern_mismatch";
                ctx = Map.of("pattern", pattern.regexp());
            }
            default -> {}
        }
        return new FieldViolation(field, message, loc, type, input, ctx);
    }

    /** Throws one 422 listing every violation, sorted by field, when there are any. */
    public static void reject(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations.stream()
                    .sorted(Comparator.comparing(FieldViolation::field))
                    .toList());
        }
    }
}
