package dev.dialplane.orgs.web;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token bearer token of the admin API ({@code DIALPLANE_ADMIN_TOKEN}); the admin API is
 *     disabled while it is unset
 */
@ConfigurationProperties("dialplane.admin")
record AdminProperties(@Nullable String token) {}
