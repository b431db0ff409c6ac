package dev.dialplane.orgs.web;

import dev.dialplane.common.web.ApiKeyHeaders;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

final class BearerToken {

    private BearerToken() {}

    /** The token of an {@code Authorization: Bearer <token>} header, or null when absent/other scheme. */
    static @Nullable String of(HttpServletRequest request) {
        return ApiKeyHeaders.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
    }
}
