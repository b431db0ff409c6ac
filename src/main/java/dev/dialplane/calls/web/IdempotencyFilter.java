package dev.dialplane.calls.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.web.ApiKeyHeaders;
import dev.dialplane.common.web.ErrorBodies;
import dev.dialplane.orgs.ApiKeyService;
import dev.dialplane.orgs.Tenant;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} on the call-creating routes: the same key with the same request within
 * 24 h gets the first response again (header {@code Idempotent-Replayed: true}) and dials nobody;
 * the same key with a different request is 422; a second request arriving while the first still
 * runs waits for it and gets its response. A first request that created no call (refused, or
 * failed) releases the key, so the request may be corrected and retried with it.
 *
 * <p>"The same request" means the same route, the same query parameters and the same JSON body
 * (key order and whitespace do not matter).
 */
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(100);
    private static final Duration IN_USE_RETRY_AFTER = Duration.ofSeconds(5);
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private final IdempotencyKeys keys;
    private final ApiKeyService apiKeys;
    private final ErrorBodies errors;

    IdempotencyFilter(IdempotencyKeys keys, ApiKeyService apiKeys, ErrorBodies errors) {
        this.keys = keys;
        this.apiKeys = apiKeys;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var key = request.getHeader(HEADER);
        if (!VALID_KEY.matcher(key).matches()) {
            errors.write(
                    request,
                    response,
                    ApiException.badRequest(
                            "INVALID_IDEMPOTENCY_KEY",
                            "Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID."));
            return;
        }
        // the API key check answers a missing, conflicting or unknown key (401) after this filter
        var tenant = ApiKeyHeaders.of(request) instanceof ApiKeyHeaders.Key apiKey
                ? apiKeys.authenticate(apiKey.value())
                : Optional.<Tenant>empty();
        if (tenant.isEmpty()) {
            chain.doFilter(request, response); // unauthenticated: the API key check answers 401
            return;
        }
        var organization = tenant.get().organizationId();
        var body = request.getInputStream().readAllBytes();
        var replayable = new CachedBody(request, body);
        var fingerprint = fingerprint(request, body);

        while (!keys.begin(organization, key, fingerprint)) {
            var existing = keys.find(organization, key);
            if (existing.isEmpty()) {
                continue; // released meanwhile: try to take it
            }
            if (keys.expired(existing.get())) {
                keys.release(organization, key);
                continue;
            }
            if (!existing.get().fingerprint().equals(fingerprint)) {
                errors.write(
                        request,
                        response,
                        new ApiException(
                                HttpStatus.UNPROCESSABLE_CONTENT,
                                "IDEMPOTENCY_KEY_REUSED",
                                "This Idempotency-Key was used in the last 24 h for a different request; use a new key for a new request."));
                return;
            }
            var settled = awaitSettled(organization, key);
            if (settled.isEmpty()) {
                continue; // the first request failed and released the key: this one may run
            }
            if (settled.get().completed()) {
                replay(settled.get(), response);
                return;
            }
            if (keys.orphaned(settled.get())) {
                if (keys.takeOver(organization, key)) {
                    // its request's node is gone: this retry runs it, and finds the call it stored, if any
                    break;
                }
                continue; // another retry took it over: wait for that one
            }
            errors.write(
                    request,
                    response,
                    ApiException.conflict(
                                    "IDEMPOTENCY_KEY_IN_USE",
                                    "A request with this Idempotency-Key is still running; retry once it has finished.")
                            .retryAfter(IN_USE_RETRY_AFTER));
            return;
        }

        var captured = new ContentCachingResponseWrapper(response);
        var stored = false;
        try {
            chain.doFilter(replayable, captured);
            // kept only when a call was created: a refused request (validation, credits …) may be
            // corrected and sent again with the same key
            var callId = captured.getHeader("X-Call-Id");
            if (callId != null) {
                keys.complete(
                        organization,
                        key,
                        captured.getStatus(),
                        captured.getContentType(),
                        new String(captured.getContentAsByteArray(), StandardCharsets.UTF_8),
                        callId == null ? null : UUID.fromString(callId));
                stored = true;
            }
        } finally {
            if (!stored) {
                keys.release(organization, key);
            }
            captured.copyBodyToResponse();
        }
    }

    /**
     * Waits while the key's first request runs: returns the key once it completed, or once its
     * owner is gone; empty once released; the running entry when the wait ran out.
     */
    private java.util.Optional<IdempotencyKeys.Entry> awaitSettled(UUID organization, String key) {
        var deadline = System.nanoTime() + WAIT_FOR_FIRST.toNanos();
        var pause = 10L;
        while (true) {
            var entry = keys.find(organization, key);
            if (entry.isEmpty()
                    || entry.get().completed()
                    || keys.orphaned(entry.get())
                    || System.nanoTime() >= deadline) {
                return entry;
            }
            try {
                Thread.sleep(pause); // polling the first request's row; it has no other signal across nodes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return entry;
            }
            pause = Math.min(200, pause * 2);
        }
    }

    private static void replay(IdempotencyKeys.Entry entry, HttpServletResponse response) throws IOException {
        // a completed entry always has its response stored
        response.setStatus(java.util.Objects.requireNonNull(entry.status(), "a replayed response has a status"));
        if (entry.contentType() != null) {
            response.setContentType(entry.contentType());
        }
        if (entry.callId() != null) {
            response.setHeader("X-Call-Id", entry.callId().toString());
            response.setHeader(HttpHeaders.LOCATION, "/calls/" + entry.callId());
        }
        response.setHeader("Idempotent-Replayed", "true");
        response.getOutputStream()
                .write(entry.body() == null ? new byte[0] : entry.body().getBytes(StandardCharsets.UTF_8));
    }

    /** The route, its query parameters sorted, and the JSON body with its keys sorted. */
    static String fingerprint(HttpServletRequest request, byte[] body) {
        var canonical = new StringBuilder(request.getMethod())
                .append(' ')
                .append(request.getRequestURI())
                .append('\n');
        var parameters = new TreeMap<String, String[]>(request.getParameterMap());
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            canonical
                    .append(parameter.getKey())
                    .append('=')
                    .append(String.join(",", parameter.getValue()))
                    .append('\n');
        }
        if (body.length > 0) {
            try {
                canonical.append(CANONICAL.writeValueAsString(CANONICAL.readValue(body, Object.class)));
            } catch (RuntimeException notJson) {
                canonical.append(new String(body, StandardCharsets.UTF_8));
            }
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request with its body read once and served again to the controller. */
    private static final class CachedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            var in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }
}
