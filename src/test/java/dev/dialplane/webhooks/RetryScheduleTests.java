package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class RetryScheduleTests {

    private static final Instant ATTEMPTED_AT = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void talkifaiDeliveriesAreRetriedAfter30Seconds5MinutesAnd30MinutesThenFail() {
        var talkifai = WebhookFormat.TALKIFAI;
        assertThat(RetrySchedule.next(talkifai, false, 0, ATTEMPTED_AT).nextAttemptAt())
                .isEqualTo(ATTEMPTED_AT.plusSeconds(30));
        assertThat(RetrySchedule.next(talkifai, false, 1, ATTEMPTED_AT).nextAttemptAt())
                .isEqualTo(ATTEMPTED_AT.plusSeconds(300));
        assertThat(RetrySchedule.next(talkifai, false, 2, ATTEMPTED_AT).nextAttemptAt())
                .isEqualTo(ATTEMPTED_AT.plusSeconds(1800));
        assertThat(RetrySchedule.next(talkifai, false, 3, ATTEMPTED_AT).status())
                .isEqualTo(DeliveryStatus.FAILED);
        assertThat(RetrySchedule.next(WebhookFormat.STANDARD, false, 3, ATTEMPTED_AT)
                        .status())
                .as("standard keeps its ten attempts")
                .isEqualTo(DeliveryStatus.PENDING);
    }

    @Test
    void theDocumentedScheduleGivesTenAttemptsOverAboutSixteenHours() {
        var delays = new ArrayList<Duration>();
        for (int failures = 1; RetrySchedule.delayAfter(failures).isPresent(); failures++) {
            delays.add(RetrySchedule.delayAfter(failures).get());
        }
        assertThat(delays)
                .containsExactly(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(30),
                        Duration.ofHours(1),
                        Duration.ofHours(2),
                        Duration.ofHours(4),
                        Duration.ofHours(8));
        assertThat(RetrySchedule.MAX_ATTEMPTS).isEqualTo(10);
        assertThat(delays.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.parse("PT15H42M35S"));
    }

    @Test
    void aFailureIsDueAgainTheNextDelayAfterTheFailedAttemptStarted() {
        var first = RetrySchedule.next(false, 0, ATTEMPTED_AT);
        assertThat(first).isEqualTo(new DeliveryClaims.Next(DeliveryStatus.PENDING, 1, ATTEMPTED_AT.plusSeconds(5)));

        var fourth = RetrySchedule.next(false, 3, ATTEMPTED_AT);
        assertThat(fourth)
                .isEqualTo(
                        new DeliveryClaims.Next(DeliveryStatus.PENDING, 4, ATTEMPTED_AT.plus(Duration.ofMinutes(10))));

        var ninth = RetrySchedule.next(false, 8, ATTEMPTED_AT);
        assertThat(ninth)
                .isEqualTo(new DeliveryClaims.Next(DeliveryStatus.PENDING, 9, ATTEMPTED_AT.plus(Duration.ofHours(8))));
    }

    @Test
    void theTenthFailureInARowIsFinal() {
        assertThat(RetrySchedule.next(false, 9, ATTEMPTED_AT))
                .isEqualTo(new DeliveryClaims.Next(DeliveryStatus.FAILED, 10, null));
    }

    @Test
    void aSuccessIsDeliveredWithNothingMoreDue() {
        assertThat(RetrySchedule.next(true, 5, ATTEMPTED_AT))
                .isEqualTo(new DeliveryClaims.Next(DeliveryStatus.DELIVERED, 0, null));
    }

    @Test
    void thereIsNoDelayBeforeTheFirstFailure() {
        assertThatThrownBy(() -> RetrySchedule.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
