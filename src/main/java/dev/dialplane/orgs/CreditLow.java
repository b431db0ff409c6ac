package dev.dialplane.orgs;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Published, inside the transaction that charged it, when an organization's balance falls below its
 * low-credit threshold. Fires once per crossing; a top-up above the threshold re-arms it.
 */
public record CreditLow(UUID organizationId, BigDecimal balance, BigDecimal threshold, Instant occurredAt) {}
