package dev.dialplane.orgs;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A customer of Dialplane: everything else (keys, agents, trunks, numbers, calls) belongs to one.
 *
 * @param credits the balance; the credit ledger of the organization always sums to it
 * @param reservedCredits held by live calls; {@code credits - reservedCredits} is available to new calls
 * @param ratePerMinute price of one answered minute, billed per second
 * @param lowCreditThreshold below this balance {@code credit.low} fires (once per crossing)
 * @param maxConcurrentCalls live calls (dialing, ringing, answered) the organization may have at
 *     once; more wait in the queue (null: no limit)
 */
public record Organization(
        UUID id,
        String name,
        BigDecimal credits,
        BigDecimal reservedCredits,
        BigDecimal ratePerMinute,
        BigDecimal lowCreditThreshold,
        boolean lowCreditNotified,
        @Nullable Integer maxConcurrentCalls,
        Instant createdAt,
        Instant updatedAt) {

    public BigDecimal availableCredits() {
        return credits.subtract(reservedCredits);
    }
}
