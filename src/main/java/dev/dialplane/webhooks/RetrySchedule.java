package dev.dialplane.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a failed delivery is tried again: the first attempt is immediate, then after each failure
 * the next delay of this fixed schedule (README "Client webhooks"). Ten attempts over about 16
 * hours, then the delivery is {@code failed}. A redelivery starts the schedule over.
 */
final class RetrySchedule {

    static final List<Duration> DELAYS = List.of(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(4),
            Duration.ofHours(8));

    static final int MAX_ATTEMPTS = DELAYS.size() + 1;

    private RetrySchedule() {}

    /**
     * The wait before the next attempt after {@code failures} failed attempts in a row (1 after the
     * first failure), or empty when the schedule is used up.
     */
    static Optional<Duration> delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        return failures <= DELAYS.size() ? Optional.of(DELAYS.get(failures - 1)) : Optional.empty();
    }

    /**
     * The delivery's state after an attempt that started at {@code attemptedAt}: delivered, due
     * again the next delay after that start, or failed once the schedule is used up. Counting from
     * the start keeps the schedule exact whatever the failed request's duration (a request that
     * timed out after 10 s is retried as soon as it ends, not 5 s later).
     *
     * @param retryStep failed attempts in a row before this one
     */
    static DeliveryClaims.Next next(boolean delivered, int retryStep, Instant attemptedAt) {
        if (delivered) {
            return new DeliveryClaims.Next(DeliveryStatus.DELIVERED, 0, null);
        }
        int failures = retryStep + 1;
        return delayAfter(failures)
                .map(delay -> new DeliveryClaims.Next(DeliveryStatus.PENDING, failures, attemptedAt.plus(delay)))
                .orElseGet(() -> new DeliveryClaims.Next(DeliveryStatus.FAILED, failures, null));
    }
}
