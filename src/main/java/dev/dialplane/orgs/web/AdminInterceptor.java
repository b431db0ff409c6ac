package dev.dialplane.orgs.web;

import dev.dialplane.common.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

class AdminInterceptor implements HandlerInterceptor {

    private final AdminProperties properties;

    AdminInterceptor(AdminProperties properties) {
        this.properties = properties;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod)) {
            return true;
        }
        var expected = properties.token();
        if (expected == null || expected.isBlank()) {
            throw new ApiException(
                    HttpStatus.FORBIDDEN,
                    "ADMIN_API_DISABLED",
                    "The admin API is disabled: start Dialplane with DIALPLANE_ADMIN_TOKEN set to enable it.");
        }
        var token = BearerToken.of(request);
        // constant-time comparison: the admin token must not leak through response timing
        if (token == null
                || !MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(
                    HttpStatus.UNAUTHORIZED,
                    "UNAUTHORIZED",
                    "Missing or wrong admin token: send 'Authorization: Bearer $DIALPLANE_ADMIN_TOKEN'.");
        }
        return true;
    }
}
