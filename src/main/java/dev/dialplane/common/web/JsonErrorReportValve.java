package dev.dialplane.common.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replaces Tomcat's HTML error page. Tomcat answers some requests itself, before any servlet or
 * filter runs: an encoded {@code /}, {@code \} or NUL in the path, a request line or headers over
 * the limit. Those answers get Dialplane's shape too: a problem, or the TalkifAI envelope.
 */
class JsonErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        var ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        var path = path(request);
        var problem = ErrorBodies.problem(HttpStatus.valueOf(status), code(status), detail(status));
        if (path != null && !path.isEmpty() && path.startsWith("/")) {
            try {
                problem.setInstance(URI.create(path));
            } catch (IllegalArgumentException ignored) {
                // a path Tomcat refused may not be a valid URI either
            }
        }
        Object body;
        String contentType;
        if (path != null && ErrorBodies.talkifai(path)) {
            body = ErrorBodies.talkifaiEnvelope(problem);
            contentType = MediaType.APPLICATION_JSON_VALUE;
        } else {
            var flat = new LinkedHashMap<String, Object>();
            flat.put("type", String.valueOf(problem.getType()));
            flat.put("title", problem.getTitle());
            flat.put("status", problem.getStatus());
            flat.put("detail", problem.getDetail());
            if (problem.getInstance() != null) {
                flat.put("instance", problem.getInstance().toString());
            }
            flat.putAll(problem.getProperties());
            body = flat;
            contentType = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
        }
        try {
            if (response.getHeader(RequestIdFilter.HEADER) == null) {
                // refused before any filter ran: the request still gets the id every response carries
                response.setHeader(
                        RequestIdFilter.HEADER, RequestIdFilter.idOf(request.getHeader(RequestIdFilter.HEADER)));
            }
            response.setContentType(contentType);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            var writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(body));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot be written: nothing more to do
        }
    }

    private static @Nullable String path(Request request) {
        try {
            var uri = request.getRequestURI();
            return uri == null ? request.getCoyoteRequest().requestURI().toString() : uri;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String code(int status) {
        return switch (status) {
            case HttpServletResponse.SC_BAD_REQUEST -> "MALFORMED_REQUEST";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "REQUEST_HEADER_FIELDS_TOO_LARGE";
            case 500 -> "INTERNAL_ERROR";
            default -> {
                var resolved = HttpStatus.resolve(status);
                yield resolved == null ? "HTTP_" + status : resolved.name();
            }
        };
    }

    private static String detail(int status) {
        return switch (status) {
            case HttpServletResponse.SC_BAD_REQUEST ->
                "The request could not be read: its path holds an encoded '/', '\\' or"
                        + " NUL (%2F, %5C, %00), or its request line or headers are malformed or longer than the 8 KB limit.";
            case 413 -> "The request body is larger than the limit.";
            case 414 -> "The request line is longer than the 8 KB limit.";
            case 431 -> "The request headers are larger than the 8 KB limit.";
            case 500 -> "Dialplane failed to handle this request.";
            default -> {
                var resolved = HttpStatus.resolve(status);
                yield resolved == null ? "HTTP status " + status + "." : resolved.getReasonPhrase() + ".";
            }
        };
    }
}
