package dev.dialplane.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a failed delivery is tried again: the first attempt is immediate, then after each failure
 * the next delay of this fixed schedule (README "Client webhooks"). Ten attempts over about 16
 * hours, then the delivery is {@code failed}. A {@code talkifai} delivery follows TalkifAI's own
 * schedule instead: three retries, 30 s, 5 min and 30 min after the attempt before. A redelivery
 * starts the schedule over.
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

    /** TalkifAI's documented retries ("Retry 1: after 30 seconds, 2: after 5 minutes, 3: after 30 minutes"). */
    static final List<Duration> TALKIFAI_DELAYS =
            List.of(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(30));

    private RetrySchedule() {}

    /**
     * The wait before the next attempt after {@code failures} failed attempts in a row (1 after the
     * first failure), or empty when the schedule is used up.
     */
    static Optional<Duration> delayAfter(int failures) {
        return delayAfter(WebhookFormat.STANDARD, failures);
    }

    static Optional<Duration> delayAfter(WebhookFormat format, int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        var delays = format == WebhookFormat.TALKIFAI ? TALKIFAI_DELAYS : DELAYS;
        return failures <= delays.size() ? Optional.of(delays.get(failures - 1)) : Optional.empty();
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
        return next(WebhookFormat.STANDARD, delivered, retryStep, attemptedAt);
    }

    static DeliveryClaims.Next next(WebhookFormat format, boolean delivered, int retryStep, Instant attemptedAt) {
        if (delivered) {
            return new DeliveryClaims.Next(DeliveryStatus.DELIVERED, 0, null);
        }
        int failures = retryStep + 1;
        return delayAfter(format, failures)
                .map(delay -> new DeliveryClaims.Next(DeliveryStatus.PENDING, failures, attemptedAt.plus(delay)))
                .orElseGet(() -> new DeliveryClaims.Next(DeliveryStatus.FAILED, failures, null));
    }
}
