package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body over {@link JsonLimits#MAX_BODY_BYTES} with 413 before anything reads it
 * into memory: at once when {@code Content-Length} says so, and otherwise (chunked bodies) as
 * soon as the stream passes the limit, wherever it is being read. A route that streams an upload
 * (e.g. {@code POST /dnc/import}) has a larger limit of its own.
 */
class BodySizeLimitFilter extends OncePerRequestFilter {

    private final ErrorBodies errors;
    private final long maxBytes;
    private final Map<String, Long> routeLimits;

    BodySizeLimitFilter(ErrorBodies errors, long maxBytes) {
        this(errors, maxBytes, Map.of());
    }

    /** {@code routeLimits}: the limit of an upload by its path's pattern (a regular expression, without the context path). */
    BodySizeLimitFilter(ErrorBodies errors, long maxBytes, Map<String, Long> routeLimits) {
        this.errors = errors;
        this.maxBytes = maxBytes;
        this.routeLimits = Map.copyOf(routeLimits);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var maxBytes = limit(request);
        if (request.getContentLengthLong() > maxBytes) {
            errors.write(request, response, refusal(maxBytes));
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, maxBytes), response);
        } catch (IOException | ServletException | RuntimeException e) {
            var tooLarge = tooLarge(e);
            if (tooLarge == null || response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            errors.write(request, response, tooLarge);
        }
    }

    /**
     * The request's limit: a route's own when its path matches one of {@code routeLimits}' patterns
     * and the body is an upload (CSV or a multipart form); a JSON body to the same route is held
     * in memory, so it keeps the general limit.
     */
    private long limit(HttpServletRequest request) {
        var type = request.getContentType();
        if (type == null) {
            return maxBytes;
        }
        var media = type.toLowerCase(java.util.Locale.ROOT);
        if (!media.startsWith("text/csv") && !media.startsWith("multipart/form-data")) {
            return maxBytes;
        }
        var path = request.getRequestURI().substring(request.getContextPath().length());
        for (var route : routeLimits.entrySet()) {
            if (path.matches(route.getKey())) {
                return route.getValue();
            }
        }
        return maxBytes;
    }

    static ApiException refusal(long maxBytes) {
        return new ApiException(
                HttpStatus.CONTENT_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "The request body is larger than " + maxBytes + " bytes (" + maxBytes / (1024 * 1024)
                        + " MiB), the limit.");
    }

    /** The 413 to answer when {@code failure} was caused by an oversized body, else {@code null}. */
    static @Nullable ApiException tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLarge tooLarge) {
                return refusal(tooLarge.limit);
            }
            if (t instanceof ApiException api && api.status() == HttpStatus.CONTENT_TOO_LARGE) {
                return api;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    static final class BodyTooLarge extends IOException {
        final long limit;

        BodyTooLarge(long limit) {
            super("request body over " + limit + " bytes", null);
            this.limit = limit;
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long maxBytes;
        private @Nullable ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            var encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), encoding));
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long maxBytes;
        private long read;

        LimitedStream(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        private void count(long n) throws BodyTooLarge {
            if (n > 0) {
                read += n;
                if (read > maxBytes) {
                    throw new BodyTooLarge(maxBytes);
                }
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            count(n);
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
