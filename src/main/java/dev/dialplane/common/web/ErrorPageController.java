package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}): an error that escaped Spring MVC (a filter
 * failing, {@code sendError} without a body) is answered in the route's shape like any other,
 * not with Spring Boot's default body.
 */
@RestController
class ErrorPageController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorPageController.class);

    private final ErrorBodies errors;

    ErrorPageController(ErrorBodies errors) {
        this.errors = errors;
    }

    private static boolean undecodable(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.tomcat.util.http.InvalidParameterException) {
                return true;
            }
        }
        return false;
    }

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri ? uri : "/error";
        var status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 500;
        var failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        var tooLarge = failure == null ? null : BodySizeLimitFilter.tooLarge(failure);
        ApiException error;
        if (tooLarge != null) {
            error = tooLarge;
        } else if (undecodable(failure)) {
            // a filter (the Idempotency-Key's request hash) met a query string that is not UTF-8
            error = ApiException.badRequest(
                    "INVALID_PARAMETER",
                    "A query parameter is not valid UTF-8 once percent-decoded; encode text as UTF-8 before percent-encoding it.");
        } else if (status >= 500) {
            var reference = UUID.randomUUID().toString();
            log.error("Unexpected error (reference {}) on {}", reference, path, failure);
            error = new ApiException(
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "INTERNAL_ERROR",
                    "Dialplane failed to handle this request. Nothing secret was exposed; quote reference " + reference
                            + " when reporting it.",
                    java.util.List.of(),
                    Map.of("reference", reference));
        } else {
            var resolved = HttpStatus.resolve(status);
            var httpStatus = resolved == null ? HttpStatus.BAD_REQUEST : resolved;
            error = new ApiException(httpStatus, httpStatus.name(), httpStatus.getReasonPhrase() + ".");
        }
        response.resetBuffer();
        errors.write(path, request, response, error);
    }
}
