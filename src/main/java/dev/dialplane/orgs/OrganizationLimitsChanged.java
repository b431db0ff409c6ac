package dev.dialplane.orgs;

import java.util.UUID;

/** An organization's settings were updated (its {@code max_concurrent_calls} may be higher now). */
public record OrganizationLimitsChanged(UUID organizationId) {}
