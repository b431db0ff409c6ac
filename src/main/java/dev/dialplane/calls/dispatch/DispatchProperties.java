package dev.dialplane.calls.dispatch;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dispatcher: how queued calls are claimed and dialed.
 *
 * @param enabled whether this process claims and dials queued calls (it still accepts and queues
 *     them; another process on the same database dials them)
 * @param pollInterval how often the dispatcher looks for claimable calls when nothing woke it
 * @param lease how long a node's claim on a call lasts before it has sent the dial; a claim that
 *     runs out without a dial sent (the node died) goes back to the queue for another node
 * @param batchSize calls claimed from one trunk in one transaction
 * @param capacityRetries how many times a call the carrier refused for capacity is dialed again
 * @param capacityRetryDelay delay before the first such retry; it doubles with each retry
 * @param pacingTolerance how late a paced dial start may run behind its slot (see {@code Pacer})
 * @param prepareAhead how long before its trunk's next slot a call on a trunk with {@code cps_limit}
 *     is claimed, so its room and agent are ready by the time the slot comes: a preparation that
 *     runs slow then delays no dial, as long as it takes less than this. The dials themselves still
 *     leave at the trunk's pace; this only lets up to {@code prepare-ahead × cps} prepared dials wait
 *     for their send slots, each with its agent already in the room
 * @param maxQueueTime a call nobody waits for that is still queued after this is canceled
 * @param maxDialsPreparing dials this process prepares at once (room, agent dispatch, recording,
 *     up to the SIP dial); calls beyond it wait queued, so a burst the node cannot keep up with
 *     becomes a queue rather than requests piling up at LiveKit until they time out
 * @param unreachableRetryWindow how long after a call was placed a dial that could not be prepared
 *     because LiveKit was unreachable (nothing sent) is still retried, with backoff from 1 s
 *     doubling to 30 s; a waiting caller's own deadline ends it sooner
 * @param nodeId this process's name in claims; defaults to host name, process id and a random suffix
 */
@ConfigurationProperties("dialplane.dispatch")
public record DispatchProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100ms") Duration pollInterval,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("50") int batchSize,
        @DefaultValue("3") int capacityRetries,
        @DefaultValue("2s") Duration capacityRetryDelay,
        @DefaultValue("40ms") Duration pacingTolerance,
        @DefaultValue("250ms") Duration prepareAhead,
        @DefaultValue("1h") Duration maxQueueTime,
        @DefaultValue("64") int maxDialsPreparing,
        @DefaultValue("2m") Duration unreachableRetryWindow,
        @Nullable String nodeId) {

    public DispatchProperties {
        if (maxDialsPreparing < 1) {
            throw new IllegalArgumentException(
                    "dialplane.dispatch.max-dials-preparing must be at least 1, was " + maxDialsPreparing);
        }
        if (prepareAhead.isNegative()) {
            throw new IllegalArgumentException(
                    "dialplane.dispatch.prepare-ahead must not be negative, was " + prepareAhead);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("dialplane.dispatch.batch-size must be at least 1, was " + batchSize);
        }
    }
}
