package dev.dialplane.orgs.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

final class BearerToken {

    private BearerToken() {}

    /** The token of an {@code Authorization: Bearer <token>} header, or null when absent/other scheme. */
    static @Nullable String of(HttpServletRequest request) {
        var header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return null;
        }
        var trimmed = header.trim();
        if (trimmed.length() < 7
                || !trimmed.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        var token = trimmed.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
