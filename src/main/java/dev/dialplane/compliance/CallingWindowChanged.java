package dev.dialplane.compliance;

import java.util.UUID;

/**
 * An organization's calling window changed (widened, narrowed, turned on or off): calls waiting for
 * the window's next opening are looked at again under the new one.
 */
public record CallingWindowChanged(UUID organizationId) {}
