package dev.dialplane.orgs.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.web.ApiKeyHeaders;
import dev.dialplane.orgs.ApiKeyService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates every API route by its API key ({@code Authorization: Bearer} or {@code x-api-key})
 * before the controller runs, so no route can forget to. Routes registered as public in {@link WebConfiguration} are skipped.
 */
class ApiKeyInterceptor implements HandlerInterceptor {

    static final String TENANT_ATTRIBUTE = ApiKeyInterceptor.class.getName() + ".tenant";

    private final ApiKeyService apiKeys;

    ApiKeyInterceptor(ApiKeyService apiKeys) {
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
                        "Missing API key: send it as 'Authorization: Bearer <api key>' or 'x-api-key: <api key>'.");
            case ApiKeyHeaders.Conflicting conflicting ->
                throw new ApiException(
                        HttpStatus.UNAUTHORIZED,
                        "UNAUTHORIZED",
                        "Authorization: Bearer and x-api-key carry two different API keys: send one key, in"
                                + " either header (or the same key in both).");
        };
        var tenant = apiKeys.authenticate(token)
                .orElseThrow(() -> new ApiException(
                        HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "The API key is not valid or has been revoked."));
        request.setAttribute(TENANT_ATTRIBUTE, tenant);
        return true;
    }
}
