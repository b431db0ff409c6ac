package dev.dialplane.orgs;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Published, inside the transaction that charged it, when a call's charge takes the
 * organization's balance from at least one minute's price (its {@code rate_per_minute}) to below
 * it, or to zero or less when calls are free: no further minute can be paid for. Fires once per
 * crossing; a top-up above the price re-arms it.
 *
 * @param minutePrice the price of one minute at the organization's rate: the threshold crossed
 */
public record CreditDepleted(UUID organizationId, BigDecimal balance, BigDecimal minutePrice, Instant occurredAt) {

    /** Whether a balance can no longer pay for one minute at {@code minutePrice}. */
    public static boolean depleted(BigDecimal balance, BigDecimal minutePrice) {
        return balance.signum() <= 0 || balance.compareTo(minutePrice) < 0;
    }
}
