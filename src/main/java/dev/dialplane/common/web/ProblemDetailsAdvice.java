package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.FieldViolation;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * The one place errors become HTTP responses. Every error is an RFC 9457 problem with a stable
 * {@code code}; on the TalkifAI-compatible routes ({@code /telephony/**}) the same error is written
 * in that dialect's envelope {@code {"success": false, "error": "...", "code": "..."}} instead.
 * Unexpected failures are logged with a reference id and answered without internals.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApiException(ApiException ex, WebRequest request) {
        var problem = ErrorBodies.problem(ex);
        var headers = new HttpHeaders();
        if (ex.status() == HttpStatus.UNAUTHORIZED) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        // a call that was created and then failed stays findable in both dialects
        if (ex.properties().get("call_id") instanceof String callId) {
            headers.set("X-Call-Id", callId);
        }
        if (ex.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, ErrorBodies.retryAfter(ex.retryAfter()));
        }
        return createResponseEntity(problem, headers, ex.status(), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> handleTypeMismatch(MethodArgumentTypeMismatchException ex, WebRequest request) {
        var expected = ex.getRequiredType() == null ? "value" : JsonNames.describe(ex.getRequiredType());
        if ("limit".equals(ex.getName())) {
            expected += " between 1 and " + dev.dialplane.common.PageRequest.MAX_LIMIT;
        }
        var problem = ErrorBodies.problem(
                HttpStatus.BAD_REQUEST,
                "INVALID_PARAMETER",
                ex.getName() + " '" + ex.getValue() + "' is not " + expected);
        return createResponseEntity(problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /** Tomcat decodes query parameters lazily: percent-encoded bytes that are not UTF-8 fail on first use. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<Object> handleUndecodableParameter(RuntimeException ex, WebRequest request) {
        return handleApiException(
                ApiException.badRequest(
                        "INVALID_PARAMETER",
                        "A query parameter is not valid UTF-8 once percent-decoded; encode text as UTF-8 before percent-encoding it."),
                request);
    }

    /**
     * The database is saturated (no connection free within the pool's timeout, a lock or query
     * timeout) or unreachable: a temporary condition the client should retry, not a server bug.
     */
    @ExceptionHandler({
        CannotGetJdbcConnectionException.class,
        CannotCreateTransactionException.class,
        TransientDataAccessException.class,
        DataAccessResourceFailureException.class
    })
    ResponseEntity<Object> handleDatabaseUnavailable(RuntimeException ex, WebRequest request) {
        log.warn("Database unavailable on {}: {}", path(request), ex.getMessage());
        var problem = ErrorBodies.problem(
                HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", ErrorBodies.DATABASE_UNAVAILABLE);
        var headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return createResponseEntity(problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    /**
     * A multipart body that cannot be read (no boundary, broken framing) is the client's mistake;
     * one over the upload limit (Tomcat's own check, for a body sent without a length) a 413.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> handleMultipart(MultipartException ex, WebRequest request) {
        var tooLarge = BodySizeLimitFilter.tooLarge(ex);
        if (tooLarge != null) {
            return handleApiException(tooLarge, request);
        }
        return handleApiException(
                ApiException.badRequest(
                        "MALFORMED_REQUEST",
                        "The multipart/form-data body could not be read: it needs a boundary in its Content-Type"
                                + " and parts framed by it (RFC 7578)."),
                request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return handleApiException(BodySizeLimitFilter.refusal(JsonLimits.MAX_BATCH_UPLOAD_BYTES), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
        var tooLarge = BodySizeLimitFilter.tooLarge(ex);
        if (tooLarge != null) {
            return handleApiException(tooLarge, request);
        }
        var reference = UUID.randomUUID().toString();
        log.error("Unexpected error (reference {}) on {}", reference, path(request), ex);
        var problem = ErrorBodies.problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "Dialplane failed to handle this request. Nothing secret was exposed; quote reference " + reference
                        + " when reporting it.");
        problem.setProperty("reference", reference);
        return createResponseEntity(problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var violations = new ArrayList<FieldViolation>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            violations.add(new FieldViolation(
                    JsonNames.snakeCase(error.getField()),
                    java.util.Objects.requireNonNullElse(error.getDefaultMessage(), "is invalid")));
        }
        ex.getBindingResult()
                .getGlobalErrors()
                .forEach(error -> violations.add(new FieldViolation(
                        error.getObjectName(),
                        java.util.Objects.requireNonNullElse(error.getDefaultMessage(), "is invalid"))));
        return handleApiException(ApiException.invalid(violations), request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var tooLarge = BodySizeLimitFilter.tooLarge(ex);
        if (tooLarge != null) {
            return handleApiException(tooLarge, request);
        }
        var cause = ex.getMostSpecificCause();
        if (cause instanceof tools.jackson.core.JacksonException jackson
                && !(cause instanceof MismatchedInputException)) {
            return handleApiException(JsonBodyAdvice.refusal(jackson), request);
        }
        if (cause instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            return handleApiException(
                    ApiException.invalid(JsonNames.path(mismatch.getPath()), JsonNames.expectation(mismatch)), request);
        }
        String detail;
        if (cause instanceof MismatchedInputException) {
            detail = "The request body must be a JSON object.";
        } else if (cause instanceof StreamReadException read) {
            var location = read.getLocation();
            detail = "The request body is not valid JSON"
                    + (location == null
                            ? "."
                            : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ").");
        } else {
            detail =
                    "The request body is missing or unreadable; send a JSON object with Content-Type: application/json.";
        }
        return handleApiException(ApiException.badRequest("MALFORMED_REQUEST", detail), request);
    }

    /** An unknown route is not a missing static file: say which route the client asked for. */
    @Override
    protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(
            NoResourceFoundException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return noRoute(request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleNoHandlerFoundException(
            NoHandlerFoundException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return noRoute(request);
    }

    private ResponseEntity<Object> noRoute(WebRequest request) {
        var method = request instanceof NativeWebRequest nativeRequest
                        && nativeRequest.getNativeRequest() instanceof HttpServletRequest servletRequest
                ? servletRequest.getMethod()
                : "";
        return handleApiException(
                ApiException.notFound(
                        "NOT_FOUND", "No route " + method + " " + path(request) + "; see /v3/api-docs for the routes."),
                request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return handleApiException(
                ApiException.badRequest(
                        "MISSING_PARAMETER", "Query parameter " + ex.getParameterName() + " is required."),
                request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            ErrorBodies.decorate(problem, statusCode);
        }
        if (body instanceof ProblemDetail problem && ErrorBodies.talkifai(path(request))) {
            headers.setContentType(MediaType.APPLICATION_JSON);
            return new ResponseEntity<>(ErrorBodies.talkifaiEnvelope(problem), headers, statusCode);
        }
        if (body instanceof ProblemDetail problem && ErrorBodies.mrAssistant(path(request))) {
            headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            var sent = request.getAttribute(JsonBodyAdvice.BODY_ATTRIBUTE, WebRequest.SCOPE_REQUEST);
            return new ResponseEntity<>(ErrorBodies.mrAssistantBody(problem, path(request), sent), headers, statusCode);
        }
        return new ResponseEntity<>(body, headers, statusCode);
    }

    private static String path(WebRequest request) {
        if (request instanceof NativeWebRequest nativeRequest
                && nativeRequest.getNativeRequest() instanceof HttpServletRequest servletRequest) {
            return servletRequest.getRequestURI();
        }
        return "";
    }
}
