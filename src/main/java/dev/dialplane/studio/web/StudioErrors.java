package dev.dialplane.studio.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.studio.StudioOperator;
import dev.dialplane.studio.StudioUser;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.validation.BindException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Studio's errors as pages, not problem+json: a call of another organization is "not found"
 * exactly as the API says it, in HTML. Ahead of the API's advice, for Studio's controllers only.
 */
@ControllerAdvice(basePackageClasses = StudioErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class StudioErrors {

    @ExceptionHandler(ApiException.class)
    String apiError(ApiException error, Model model, HttpServletResponse response) {
        signedIn(model);
        response.setStatus(error.status().value());
        model.addAttribute("status", error.status().value());
        model.addAttribute("heading", error.status().getReasonPhrase());
        model.addAttribute("message", error.getMessage());
        return "studio/error";
    }

    /** The layout's navigation on error pages too (the model attributes of StudioModel are not set for them). */
    private static void signedIn(Model model) {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof StudioUser user) {
            model.addAttribute("user", user);
            model.addAttribute("canChange", user.canChange());
        } else if (authentication != null && authentication.getPrincipal() instanceof StudioOperator) {
            model.addAttribute("operator", true);
        }
    }

    @ExceptionHandler({
        MethodArgumentTypeMismatchException.class,
        MissingServletRequestParameterException.class,
        BindException.class
    })
    String badRequest(Exception error, Model model, HttpServletResponse response) {
        // a malformed id in a path is a page that does not exist
        signedIn(model);
        var notFound = error instanceof MethodArgumentTypeMismatchException;
        response.setStatus(notFound ? 404 : 400);
        model.addAttribute("status", notFound ? 404 : 400);
        model.addAttribute("heading", notFound ? "Not Found" : "Bad Request");
        model.addAttribute(
                "message",
                notFound ? "There is no such page in your organization." : "A form field is missing or malformed.");
        return "studio/error";
    }
}
