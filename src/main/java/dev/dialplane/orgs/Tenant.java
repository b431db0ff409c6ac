package dev.dialplane.orgs;

import java.util.UUID;

/**
 * The organization an API request acts for, established from its API key. Every query for
 * organization-owned data is scoped by it; another organization's rows are simply "not found".
 */
public record Tenant(UUID organizationId) {}
