package dev.dialplane.common;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * An error a client caused or can act on. Carries the HTTP status, a stable machine-readable
 * {@code code} (shared by both API dialects) and a message written for a person.
 * Never put secrets in the message: it is returned verbatim.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<FieldViolation> violations;
    private final Map<String, Object> properties;
    private final @Nullable Duration retryAfter;

    public ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, List.of(), Map.of());
    }

    public ApiException(
            HttpStatus status,
            String code,
            String message,
            List<FieldViolation> violations,
            Map<String, Object> properties) {
        this(status, code, message, violations, properties, null);
    }

    private ApiException(
            HttpStatus status,
            String code,
            String message,
            List<FieldViolation> violations,
            Map<String, Object> properties,
            @Nullable Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.violations = List.copyOf(violations);
        this.properties = Map.copyOf(properties);
        this.retryAfter = retryAfter;
    }

    /** The same error, telling the client when to try again (the {@code Retry-After} header). */
    public ApiException retryAfter(Duration delay) {
        return new ApiException(status, code, getMessage(), violations, properties, delay);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(HttpStatus.NOT_FOUND, code, message);
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(HttpStatus.CONFLICT, code, message);
    }

    public static ApiException invalid(List<FieldViolation> violations) {
        var message = violations.size() == 1
                ? violations.getFirst().field() + ": " + violations.getFirst().message()
                : violations.size() + " fields are invalid";
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "VALIDATION_FAILED", message, violations, Map.of());
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldViolation(field, message)));
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** When the client should come back; {@code null} when retrying the same request would not help. */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /** Always set: every constructor takes a message. */
    @Override
    public String getMessage() {
        return java.util.Objects.requireNonNull(super.getMessage());
    }
}
