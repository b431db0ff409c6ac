package dev.dialplane.webhooks;

import dev.dialplane.common.ConfigurationProblem;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Client webhook delivery.
 *
 * @param deliveryEnabled whether this process sends webhooks; events are queued either way, so
 *     another process on the same database can deliver them
 * @param pollInterval how often the worker looks for due deliveries when nothing woke it up
 * @param connectTimeout TCP/TLS connect limit towards an endpoint
 * @param requestTimeout how long an endpoint may take to answer once connected
 * @param lease how long a claimed delivery stays reserved for the worker sending it; after that
 *     (the process died mid-send) any worker may send it again. Must exceed connect + request timeout
 * @param maxInFlight requests this process sends at once, over all endpoints
 * @param maxInFlightPerEndpoint requests this process sends at once to one endpoint, so a slow
 *     endpoint cannot take every slot
 * @param retention how long delivered and failed deliveries (and their attempts) stay in the
 *     delivery log; pending ones are never removed
 */
@ConfigurationProperties("dialplane.webhooks")
record WebhooksProperties(
        @DefaultValue("true") boolean deliveryEnabled,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("64") int maxInFlight,
        @DefaultValue("4") int maxInFlightPerEndpoint,
        @DefaultValue("30d") Duration retention) {

    WebhooksProperties {
        if (pollInterval.isNegative()
                || pollInterval.isZero()
                || connectTimeout.isNegative()
                || connectTimeout.isZero()
                || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new ConfigurationProblem(
                    "dialplane.webhooks.poll-interval, connect-timeout and request-timeout must be positive.",
                    "Set them to durations such as 1s, 5s and 10s.");
        }
        if (lease.compareTo(connectTimeout.plus(requestTimeout)) <= 0) {
            throw new ConfigurationProblem(
                    "dialplane.webhooks.lease (" + lease + ") must be longer than connect-timeout + request-timeout ("
                            + connectTimeout.plus(requestTimeout) + "), or a slow request would be sent twice.",
                    "Raise DIALPLANE_WEBHOOKS_LEASE or lower the timeouts.");
        }
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new ConfigurationProblem(
                    "dialplane.webhooks.retention (" + retention
                            + ") must be at least one day: the delivery log would vanish before anyone reads it.",
                    "Set DIALPLANE_WEBHOOKS_RETENTION to a duration such as 30d.");
        }
        if (maxInFlight < 1 || maxInFlightPerEndpoint < 1) {
            throw new ConfigurationProblem(
                    "dialplane.webhooks.max-in-flight and max-in-flight-per-endpoint must be at least 1.",
                    "Set DIALPLANE_WEBHOOKS_MAX_IN_FLIGHT and DIALPLANE_WEBHOOKS_MAX_IN_FLIGHT_PER_ENDPOINT to positive numbers.");
        }
    }
}
