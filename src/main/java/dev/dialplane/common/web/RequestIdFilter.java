package dev.dialplane.common.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, answered in {@code X-Request-Id} and carried by every log line of the
 * request (MDC key {@value #MDC_KEY}), so a client's report can be matched with the log. A client
 * (or a proxy in front) may send its own id; it is kept when it is short and plain, so it cannot
 * forge log lines or headers, and replaced otherwise. Registered before every other filter, so
 * errors written by filters and by Spring's error handling carry the id as well.
 */
class RequestIdFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "requestId";
    private static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";
    /** UUIDs, ULIDs, hex trace ids, AWS's "Root=1-…" and the like; nothing a log or header could misread. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:;=+/@-]{1,128}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // an error dispatch of the same request keeps the id it was given
        var id =
                request.getAttribute(ATTRIBUTE) instanceof String assigned ? assigned : idOf(request.getHeader(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        var previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    static String idOf(String sent) {
        return sent != null && SANE.matcher(sent).matches()
                ? sent
                : UUID.randomUUID().toString();
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}
