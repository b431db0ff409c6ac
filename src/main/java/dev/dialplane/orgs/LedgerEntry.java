package dev.dialplane.orgs;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One change of an organization's balance. {@code reason} is {@code initial_credits},
 * {@code credit_purchase} or {@code call_charge} (with the call's id).
 */
public record LedgerEntry(
        UUID id,
        BigDecimal amount,
        BigDecimal balanceAfter,
        String reason,
        @Nullable UUID callId,
        Instant createdAt) {}
