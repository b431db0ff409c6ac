package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A saturated or unreachable database met by a servlet filter (the Idempotency-Key filter reads it
 * before Spring MVC runs) is the same temporary condition the MVC advice answers with 503 and
 * {@code Retry-After}; without this, it would escape to the servlet container as a 500.
 */
class DatabaseUnavailableFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

    private final ErrorBodies errors;

    DatabaseUnavailableFilter(ErrorBodies errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (CannotCreateTransactionException // the same failures the MVC advice answers with 503
                | TransientDataAccessException
                | DataAccessResourceFailureException e) { // includes CannotGetJdbcConnectionException
            if (response.isCommitted()) {
                throw e;
            }
            log.warn("Database unavailable on {}: {}", request.getRequestURI(), e.getMessage());
            response.resetBuffer();
            errors.write(
                    request,
                    response,
                    new ApiException(
                                    HttpStatus.SERVICE_UNAVAILABLE,
                                    "SERVICE_UNAVAILABLE",
                                    ErrorBodies.DATABASE_UNAVAILABLE)
                            .retryAfter(Duration.ofSeconds(1)));
        }
    }
}
