package dev.dialplane.studio.web;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page (Spring Security checks the form it posts) and the 403 page. */
@Controller
class SignInController {

    @GetMapping(StudioSecurity.SIGN_IN)
    String signIn(
            @RequestParam(required = false) @Nullable String error,
            @RequestParam(name = "signed-out", required = false) @Nullable String signedOut,
            @Nullable HttpSession session,
            Model model,
            HttpServletResponse response) {
        showAttempt(error, signedOut, session, model, response, "error", MemberAuthentication.WRONG);
        return "studio/sign-in";
    }

    /**
     * A sign-in page after a refused attempt (the reason Spring Security left in the session, shown
     * once, with 401) or after signing out; members' and the operator's pages alike.
     */
    static void showAttempt(
            @Nullable String error,
            @Nullable String signedOut,
            @Nullable HttpSession session,
            Model model,
            HttpServletResponse response,
            String errorAttribute,
            String wrong) {
        if (error != null
                && session != null
                && session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof AuthenticationException e) {
            model.addAttribute(errorAttribute, e.getMessage());
            session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        } else if (error != null) {
            model.addAttribute(errorAttribute, wrong);
        }
        model.addAttribute("signedOut", signedOut != null);
    }

    /** Where a refused request is forwarded: a viewer's change, or a form without its CSRF token. */
    @RequestMapping(StudioSecurity.DENIED)
    String denied(Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("status", 403);
        model.addAttribute("heading", "Forbidden");
        model.addAttribute(
                "message",
                "You may not do this: your role only reads, or the form had expired (reload the page and try again).");
        return "studio/error";
    }
}
