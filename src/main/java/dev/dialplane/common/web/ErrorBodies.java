package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
 * on the TalkifAI-compatible routes, that dialect's {@code {"success": false, "error", "code"}}.
 * Used by the MVC advice and by servlet filters, which run outside it, so both answer alike.
 */
@Component
public class ErrorBodies {

    private static final String TYPE_BASE = "https://dialplane.dev/problems/";
    static final String TALKIFAI_PREFIX = "/telephony/";
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
        var code = problem.getProperties() == null ? null : problem.getProperties().get("code");
        if (code == null) {
            var resolved = HttpStatus.resolve(status.value());
            code = resolved == null ? "HTTP_" + status.value() : resolved.name();
            problem.setProperty("code", code);
        }
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            problem.setType(URI.create(TYPE_BASE + code.toString().toLowerCase(Locale.ROOT).replace('_', '-')));
        }
    }

    /** {@code Retry-After} in whole seconds (RFC 9110 delay-seconds), never 0. */
    static String retryAfter(Duration delay) {
        return Long.toString(Math.max(1, (delay.toMillis() + 999) / 1000));
    }

    static boolean talkifai(String path) {
        return path.startsWith(TALKIFAI_PREFIX);
    }

    /** The TalkifAI envelope of a problem. */
    static Map<String, Object> talkifaiEnvelope(ProblemDetail problem) {
        var envelope = new LinkedHashMap<String, Object>();
        envelope.put("success", false);
        envelope.put("error", problem.getDetail());
        envelope.put("code", problem.getProperties() == null ? null : problem.getProperties().get("code"));
        if (problem.getProperties() != null && problem.getProperties().containsKey("errors")) {
            envelope.put("errors", problem.getProperties().get("errors"));
        }
        return envelope;
    }

    /** Writes the error straight to the servlet response, for code that runs before Spring MVC. */
    public void write(HttpServletRequest request, HttpServletResponse response, ApiException ex) throws IOException {
        var problem = problem(ex);
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(ex.status().value());
        if (ex.retryAfter() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter(ex.retryAfter()));
        }
        @Nullable Object body;
        if (talkifai(request.getRequestURI())) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            body = talkifaiEnvelope(problem);
        } else {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            var flat = new LinkedHashMap<String, Object>();
            flat.put("type", problem.getType().toString());
            flat.put("title", problem.getTitle());
            flat.put("status", problem.getStatus());
            flat.put("detail", problem.getDetail());
            flat.put("instance", problem.getInstance() == null ? null : problem.getInstance().toString());
            if (problem.getProperties() != null) {
                flat.putAll(problem.getProperties());
            }
            body = flat;
        }
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
