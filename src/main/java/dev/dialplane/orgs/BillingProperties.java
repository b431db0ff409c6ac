package dev.dialplane.orgs;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Defaults for new organizations; each organization's own values are set through the admin API.
 *
 * @param defaultRatePerMinute credits charged per answered minute, billed per second
 * @param defaultLowCreditThreshold balance below which {@code credit.low} fires
 */
@ConfigurationProperties("dialplane.billing")
public record BillingProperties(
        @DefaultValue("0.10") BigDecimal defaultRatePerMinute,
        @DefaultValue("10") BigDecimal defaultLowCreditThreshold) {}
