package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.FieldViolation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shape of every error Dialplane answers: an RFC 9457 problem with a stable {@code code}, or,
 * on the TalkifAI-compatible routes ({@code /telephony/}, {@code /batch/}), that dialect's {@code {"success": false, "error", "code"}}.
 * Used by the MVC advice and by servlet filters, which run outside it, so both answer alike.
 */
@Component
public class ErrorBodies {

    private static final String TYPE_BASE = "https://dialplane.dev/problems/";
    static final String TALKIFAI_PREFIX = "/telephony/";
    /** TalkifAI's batch routes ({@code /batch/create}, {@code /batch/jobs/…}). */
    static final String TALKIFAI_BATCH_PREFIX = "/batch/";

    static final Set<String> MRASSISTANT_PATHS = Set.of("/calls/outbound", "/calls/preflight", "/campaigns");
    /** MrAssistant's transfer route ({@code /calls/{call_id}/transfer}), whose body is validated too. */
    private static final java.util.regex.Pattern MRASSISTANT_TRANSFER =
            java.util.regex.Pattern.compile("^/calls/[^/]+/transfer$");

    static final String DATABASE_UNAVAILABLE =
            "Dialplane is overloaded or cannot reach its database right now; retry in a moment.";

    private final JsonMapper json;

    ErrorBodies(JsonMapper json) {
        this.json = json;
    }

    static ProblemDetail problem(HttpStatusCode status, String code, String detail) {
        var problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("code", code);
        decorate(problem, status);
        return problem;
    }

    static ProblemDetail problem(ApiException ex) {
        var problem = problem(ex.status(), ex.code(), ex.getMessage());
        if (!ex.violations().isEmpty()) {
            problem.setProperty("errors", ex.violations());
        }
        ex.properties().forEach(problem::setProperty);
        return problem;
    }

    /** Gives Spring's own problems (404, 405, 415 …) the same shape as Dialplane's. */
    static void decorate(ProblemDetail problem, HttpStatusCode status) {
        var code =
                problem.getProperties() == null ? null : problem.getProperties().get("code");
        if (code == null) {
            var resolved = HttpStatus.resolve(status.value());
            code = resolved == null ? "HTTP_" + status.value() : resolved.name();
            problem.setProperty("code", code);
        }
        if (problem.getType() == null || "about:blank".equals(String.valueOf(problem.getType()))) {
            problem.setType(URI.create(
                    TYPE_BASE + code.toString().toLowerCase(Locale.ROOT).replace('_', '-')));
        }
    }

    /** {@code Retry-After} in whole seconds (RFC 9110 delay-seconds), never 0. */
    static String retryAfter(Duration delay) {
        return Long.toString(Math.max(1, (delay.toMillis() + 999) / 1000));
    }

    static boolean talkifai(String path) {
        return path.startsWith(TALKIFAI_PREFIX) || path.startsWith(TALKIFAI_BATCH_PREFIX);
    }

    /** The MrAssistant-compatible routes, whose clients read a 422 as FastAPI writes it. */
    static boolean mrAssistant(String path) {
        return MRASSISTANT_PATHS.contains(path)
                || MRASSISTANT_TRANSFER.matcher(path).matches();
    }

    /**
     * A MrAssistant route's validation problem: FastAPI's {@code detail} list of
     * {@code {loc, msg, type, input, ctx}} (Pydantic v2's error types), with Dialplane's
     * {@code code}, {@code title} and {@code errors} beside it. Other problems are left as they are
     * ({@code detail} a string, as FastAPI's {@code HTTPException} writes it).
     */
    static Object mrAssistantBody(ProblemDetail problem, String path, @Nullable Object body) {
        if (problem.getProperties() == null
                || !(problem.getProperties().get("errors") instanceof List<?> errors)
                || errors.isEmpty()) {
            return problem;
        }
        var detail = new ArrayList<Map<String, Object>>();
        for (var error : errors) {
            if (error instanceof FieldViolation violation) {
                detail.add(pydanticError(violation, body));
            }
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("type", String.valueOf(problem.getType()));
        out.put("title", problem.getTitle());
        out.put("status", problem.getStatus());
        out.put("detail", detail);
        out.put(
                "instance",
                problem.getInstance() != null ? problem.getInstance().toString() : path);
        out.putAll(problem.getProperties());
        return out;
    }

    private static Map<String, Object> pydanticError(FieldViolation violation, @Nullable Object body) {
        var error = new LinkedHashMap<String, Object>();
        error.put("type", violation.type());
        var loc = new ArrayList<Object>();
        loc.add("body");
        loc.addAll(violation.loc());
        error.put("loc", loc);
        error.put("msg", pydanticMessage(violation));
        error.put("input", "missing".equals(violation.type()) ? body : violation.input());
        if (!violation.ctx().isEmpty()) {
            error.put("ctx", violation.ctx());
        }
        return error;
    }

    /** Pydantic v2's message for its error type, so a client matching on {@code msg} sees the same text. */
    static String pydanticMessage(FieldViolation violation) {
        var ctx = violation.ctx();
        return switch (violation.type()) {
            case "missing" -> "Field required";
            case "string_type" -> "Input should be a valid string";
            case "int_type" -> "Input should be a valid integer";
            case "int_parsing" -> "Input should be a valid integer, unable to parse string as an integer";
            case "int_parsing_size" -> "Unable to parse input string as an integer, exceeded maximum size";
            case "int_from_float" -> "Input should be a valid integer, got a number with a fractional part";
            case "bool_type" -> "Input should be a valid boolean";
            case "bool_parsing" -> "Input should be a valid boolean, unable to interpret input";
            case "decimal_type" -> "Decimal input should be an integer, float, string or Decimal object";
            case "uuid_type" -> "UUID input should be a string, bytes or UUID object";
            case "uuid_parsing" -> "Input should be a valid UUID, " + ctx.get("error");
            case "enum" -> "Input should be " + ctx.get("expected");
            case "dict_type" -> "Input should be a valid dictionary";
            case "model_attributes_type" -> "Input should be a valid dictionary or object to extract fields from";
            case "list_type" -> "Input should be a valid list";
            case "finite_number" -> "Input should be a finite number";
            case "greater_than_equal" -> "Input should be greater than or equal to " + ctx.get("ge");
            case "greater_than" -> "Input should be greater than " + ctx.get("gt");
            case "less_than_equal" -> "Input should be less than or equal to " + ctx.get("le");
            case "less_than" -> "Input should be less than " + ctx.get("lt");
            case "string_too_long" ->
                "String should have at most " + ctx.get("max_length") + " character"
                        + (Integer.valueOf(1).equals(ctx.get("max_length")) ? "" : "s");
            case "string_too_short" ->
                "String should have at least " + ctx.get("min_length") + " character"
                        + (Integer.valueOf(1).equals(ctx.get("min_length")) ? "" : "s");
            case "string_pattern_mismatch" -> "String should match pattern '" + ctx.get("pattern") + "'";
            default -> "Value error, " + violation.message();
        };
    }

    /** The TalkifAI envelope of a problem. */
    static Map<String, Object> talkifaiEnvelope(ProblemDetail problem) {
        var envelope = new LinkedHashMap<String, Object>();
        envelope.put("success", false);
        envelope.put("error", problem.getDetail());
        // TalkifAI's own examples show FastAPI's {"detail": "..."}: clients of either kind find the text
        envelope.put("detail", problem.getDetail());
        envelope.put(
                "code",
                problem.getProperties() == null ? null : problem.getProperties().get("code"));
        if (problem.getProperties() != null && problem.getProperties().containsKey("errors")) {
            envelope.put("errors", problem.getProperties().get("errors"));
        }
        return envelope;
    }

    /** Writes the error straight to the servlet response, for code that runs before Spring MVC. */
    public void write(HttpServletRequest request, HttpServletResponse response, ApiException ex) throws IOException {
        write(request.getRequestURI(), request, response, ex);
    }

    /** As {@link #write(HttpServletRequest, HttpServletResponse, ApiException)}, for the request at {@code path}. */
    void write(String path, HttpServletRequest request, HttpServletResponse response, ApiException ex)
            throws IOException {
        var problem = problem(ex);
        try {
            problem.setInstance(URI.create(path));
        } catch (IllegalArgumentException ignored) {
            // not a URI: leave the instance out
        }
        response.setStatus(ex.status().value());
        if (ex.retryAfter() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter(ex.retryAfter()));
        }
        @Nullable Object body;
        if (talkifai(path)) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            body = talkifaiEnvelope(problem);
        } else if (mrAssistant(path)
                && problem.getProperties() != null
                && problem.getProperties().containsKey("errors")) {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            body = mrAssistantBody(problem, path, request.getAttribute(JsonBodyAdvice.BODY_ATTRIBUTE));
        } else {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            var flat = new LinkedHashMap<String, Object>();
            flat.put("type", String.valueOf(problem.getType()));
            flat.put("title", problem.getTitle());
            flat.put("status", problem.getStatus());
            flat.put("detail", problem.getDetail());
            flat.put(
                    "instance",
                    problem.getInstance() == null ? null : problem.getInstance().toString());
            if (problem.getProperties() != null) {
                flat.putAll(problem.getProperties());
            }
            body = flat;
        }
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
