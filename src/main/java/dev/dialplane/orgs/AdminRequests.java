package dev.dialplane.orgs;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The admin API's request bodies, read and validated exactly as its routes do, for another door
 * (Studio's operator pages): one set of rules, one set of messages. Implemented by the routes
 * themselves (orgs.web). Each throws the route's 422 listing every bad field.
 *
 * <p>Bodies hold the JSON fields by their snake_case names; a number may be given as its text.
 */
public interface AdminRequests {

    /** {@code POST /admin/organizations}. */
    NewOrganization newOrganization(Map<String, Object> body);

    /** {@code POST /admin/organizations/{id}/credits}: the amount to add. */
    BigDecimal creditAmount(Map<String, Object> body);

    /** {@code PATCH /admin/organizations/{id}}: the organization's settings with {@code patch} merged in. */
    Settings settings(UUID organizationId, Map<String, Object> patch);

    /** A new organization, validated; null rate or threshold takes the configured default. */
    record NewOrganization(
            String name,
            BigDecimal credits,
            @Nullable BigDecimal ratePerMinute,
            @Nullable BigDecimal lowCreditThreshold,
            @Nullable Integer maxConcurrentCalls,
            OrganizationService.@Nullable Owner owner) {}

    /** The operator-set fields of an organization, validated. */
    record Settings(
            String name,
            BigDecimal ratePerMinute,
            BigDecimal lowCreditThreshold,
            @Nullable Integer maxConcurrentCalls) {}
}
