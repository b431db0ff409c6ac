package dev.dialplane.common.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * Where a request carries its organization API key: {@code Authorization: Bearer <key>}, or
 * {@code x-api-key: <key>} as TalkifAI's authentication page documents it (its other pages show
 * Bearer, so both are read). Shared by the API-key check and the idempotency filter, which must
 * find the same key. The key is never logged or echoed.
 */
public final class ApiKeyHeaders {

    public static final String X_API_KEY = "x-api-key";

    /** What the request's headers say about its API key. */
    public sealed interface Credential {}

    /** No key in either header. */
    public record Missing() implements Credential {}

    /** Both headers carry a key, and they differ: the request cannot say which organization it acts for. */
    public record Conflicting() implements Credential {}

    /** The key the request sent (in one header, or the same in both). */
    public record Key(String value) implements Credential {
        @Override
        public String toString() {
            return "Key[value=<redacted>]";
        }
    }

    private ApiKeyHeaders() {}

    public static Credential of(HttpServletRequest request) {
        var bearer = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        var header = request.getHeader(X_API_KEY);
        var apiKey = header == null || header.isBlank() ? null : header.strip();
        if (bearer == null) {
            return apiKey == null ? new Missing() : new Key(apiKey);
        }
        return apiKey == null || bearer.equals(apiKey) ? new Key(bearer) : new Conflicting();
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null when absent or another scheme. */
    public static @Nullable String bearer(@Nullable String header) {
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
