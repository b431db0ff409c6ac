package dev.dialplane.orgs;

import org.jspecify.annotations.Nullable;

/**
 * The operator's token ({@code DIALPLANE_ADMIN_TOKEN}): what the admin API takes as its bearer
 * token and Studio's operator sign-in as its password. One check, constant-time, implemented
 * beside the admin API (orgs.web).
 */
public interface AdminToken {

    /** Whether a token is configured at all; without one the admin API and operator sign-in are off. */
    boolean enabled();

    /** Whether {@code token} is the configured one, compared in constant time; false when none is configured. */
    boolean matches(@Nullable String token);
}
