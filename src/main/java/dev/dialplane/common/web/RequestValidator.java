package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.FieldViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Bean Validation with violations named as clients name fields (snake_case), for endpoints that
 * add checks of their own and must report every bad field in one 422.
 */
@Component
public class RequestValidator {

    private final Validator validator;

    RequestValidator(Validator validator) {
        this.validator = validator;
    }

    public List<FieldViolation> violations(Object request) {
        var found = new ArrayList<FieldViolation>();
        for (var violation : validator.validate(request)) {
            found.add(new FieldViolation(JsonNames.of(violation.getPropertyPath()), violation.getMessage()));
        }
        return found;
    }

    /** Throws one 422 listing every violation, sorted by field, when there are any. */
    public static void reject(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations.stream().sorted(Comparator.comparing(FieldViolation::field)).toList());
        }
    }
}
