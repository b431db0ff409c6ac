package dev.dialplane.calls.web;

import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.web.ApiKeyHeaders;
import dev.dialplane.orgs.ApiKeyService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Authenticates {@code POST /calls/{id}/outcome} before its body is read: the call's own report
 * token (from the agent's dispatch metadata), valid for that call only, or the organization's API
 * key, in either header an API key may come in. The API key check of every other route skips this one.
 */
class OutcomeAuthentication implements HandlerInterceptor {

    static final String TENANT = OutcomeAuthentication.class.getName() + ".tenant";
    static final String REPORTER = OutcomeAuthentication.class.getName() + ".reporter";

    private final CallOutcomes outcomes;
    private final ApiKeyService apiKeys;

    OutcomeAuthentication(CallOutcomes outcomes, ApiKeyService apiKeys) {
        this.outcomes = outcomes;
        this.apiKeys = apiKeys;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod)) {
            return true;
        }
        var token = switch (ApiKeyHeaders.of(request)) {
            case ApiKeyHeaders.Key key -> key.value();
            case ApiKeyHeaders.Missing missing ->
                throw new ApiException(
                        HttpStatus.UNAUTHORIZED,
                        "UNAUTHORIZED",
                        "Missing credentials: send 'Authorization: Bearer <report token or API key>'"
                                + " (or the API key as 'x-api-key: <api key>').");
            case ApiKeyHeaders.Conflicting conflicting ->
                throw new ApiException(
                        HttpStatus.UNAUTHORIZED,
                        "UNAUTHORIZED",
                        "Authorization: Bearer and x-api-key carry two different credentials: send one, in"
                                + " either header (or the same in both).");
        };
        if (token.startsWith(CallOutcomes.TOKEN_PREFIX)) {
            request.setAttribute(TENANT, outcomes.authenticateToken(callPath(request), token));
            request.setAttribute(REPORTER, "the call's report token");
            return true;
        }
        var tenant = apiKeys.authenticate(token)
                .orElseThrow(() -> new ApiException(
                        HttpStatus.UNAUTHORIZED,
                        "UNAUTHORIZED",
                        "The API key or report token is not valid or has been revoked."));
        request.setAttribute(TENANT, tenant);
        request.setAttribute(REPORTER, "API key " + tenant.apiKeyPrefix() + "…");
        return true;
    }

    private static String callPath(HttpServletRequest request) {
        var variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables instanceof Map<?, ?> map && map.get("id") instanceof String id) {
            return id;
        }
        return "";
    }
}
