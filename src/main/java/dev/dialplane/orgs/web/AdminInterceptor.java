package dev.dialplane.orgs.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.orgs.AdminToken;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

class AdminInterceptor implements HandlerInterceptor {

    private final AdminToken adminToken;

    AdminInterceptor(AdminToken adminToken) {
        this.adminToken = adminToken;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod)) {
            return true;
        }
        if (!adminToken.enabled()) {
            throw new ApiException(
                    HttpStatus.FORBIDDEN,
                    "ADMIN_API_DISABLED",
                    "The admin API is disabled: start Dialplane with DIALPLANE_ADMIN_TOKEN set to enable it.");
        }
        var token = BearerToken.of(request);
        if (!adminToken.matches(token)) {
            throw new ApiException(
                    HttpStatus.UNAUTHORIZED,
                    "UNAUTHORIZED",
                    "Missing or wrong admin token: send 'Authorization: Bearer $DIALPLANE_ADMIN_TOKEN'.");
        }
        return true;
    }
}
