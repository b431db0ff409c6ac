package dev.dialplane.calls.dispatch;

import static dev.dialplane.support.StartWindows.maxInAnyWindow;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacerTests {

    private static final Duration TOLERANCE = Duration.ofMillis(20);
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @ParameterizedTest(name = "cps {0}")
    @ValueSource(ints = {1, 2, 10, 30, 200})
    void noOneSecondWindowHoldsMoreStartsThanTheLimit(int limit) {
        // a dispatcher that wakes at irregular moments: usually within 10 ms, now and then stalled
        var random = new Random(42);
        var starts = new ArrayList<Instant>();
        Instant next = null;
        var now = T0;
        while (now.isBefore(T0.plusSeconds(60))) {
            var grant = Pacer.grant(limit, BigDecimal.ONE, next, now, 50, TOLERANCE);
            for (var slot : grant.slots()) {
                starts.add(startedAt(slot, now));
            }
            next = grant.nextSlotAt();
            now = now.plusNanos(random.nextInt(random.nextInt(100) == 0 ? 200_000_000 : 10_000_000) + 1);
        }
        assertThat(maxInAnyWindow(starts, Duration.ofSeconds(1))).isLessThanOrEqualTo(limit);
        // stalls lose the slots they cover (never caught up in a burst); the rest of the limit is used
        assertThat(starts.size()).isGreaterThanOrEqualTo((int) (limit * 60 * 0.75));
    }

    @Test
    void aDispatcherWakingExactlyOnTimeUsesAlmostAllOfTheLimit() {
        var limit = 10;
        var starts = new ArrayList<Instant>();
        Instant next = null;
        var now = T0;
        while (now.isBefore(T0.plusSeconds(60))) {
            var grant = Pacer.grant(limit, BigDecimal.ONE, next, now, 1, TOLERANCE);
            for (var slot : grant.slots()) {
                starts.add(startedAt(slot, now));
            }
            next = grant.nextSlotAt();
            now = next == null || next.isBefore(now) ? now.plusMillis(1) : next;
        }
        assertThat(maxInAnyWindow(starts, Duration.ofSeconds(1))).isLessThanOrEqualTo(10);
        assertThat(starts.size()).isGreaterThanOrEqualTo(585); // 98 %: the tolerance is the only cost
    }

    @Test
    void anIdleTrunkStartsAtOnceAndLateSlotsAreNotCaughtUpInABurst() {
        var first = Pacer.grant(1, BigDecimal.ONE, null, T0, 5, TOLERANCE);
        assertThat(first.slots()).containsExactly(T0);
        // ten seconds later the trunk was idle: one start now, not ten
        var later = Pacer.grant(1, BigDecimal.ONE, first.nextSlotAt(), T0.plusSeconds(10), 5, TOLERANCE);
        assertThat(later.slots()).hasSize(1);
        var tooSoon = Pacer.grant(
                1, BigDecimal.ONE, later.nextSlotAt(), T0.plusSeconds(10).plusMillis(500), 5, TOLERANCE);
        assertThat(tooSoon.slots()).isEmpty();
        assertThat(tooSoon.nextSlotAt()).isEqualTo(later.nextSlotAt());
    }

    @ParameterizedTest(name = "cps {0}")
    @ValueSource(ints = {1, 4, 10, 50})
    void sendsBookedAfterUnevenPreparationKeepTheLimitWhereTheCarrierCounts(int limit) {
        // claimed calls become ready to send at uneven moments (room and agent set-up takes 5 to
        // 300 ms); each books the trunk's next send slot, and its INVITE reaches the carrier up to
        // the tolerance after that slot
        var random = new Random(7);
        var spacing = Pacer.spacing(limit, BigDecimal.ONE, TOLERANCE);
        var arrivals = new ArrayList<Instant>();
        Instant nextSendAt = null;
        var claim = T0;
        while (claim.isBefore(T0.plusSeconds(60))) {
            var ready = claim.plusMillis(5 + random.nextInt(296));
            var slot = Pacer.sendSlot(nextSendAt, null, ready);
            assertThat(slot).isAfterOrEqualTo(ready);
            nextSendAt = slot.plus(spacing);
            arrivals.add(slot.plusNanos(random.nextLong(TOLERANCE.toNanos())));
            claim = claim.plus(spacing);
        }
        assertThat(maxInAnyWindow(arrivals, Duration.ofSeconds(1))).isLessThanOrEqualTo(limit);
        var last = arrivals.stream().max(Instant::compareTo).orElseThrow();
        // sends keep up with claims made at the same pace: nothing piles up
        assertThat(Duration.between(T0, last)).isLessThan(Duration.ofSeconds(61));
    }

    @ParameterizedTest(name = "cps {0}")
    @ValueSource(ints = {1, 4, 20, 50})
    void sendsWokenLaterThanTheToleranceBookAgainAndTheLimitHolds(int limit) {
        // a loaded machine wakes a waiting send late, now and then by far more than the tolerance (a
        // stall of up to 300 ms): sent anyway, such a dial lands among the following slots' dials
        assertThat(maxInAnyWindow(sends(limit, false), Duration.ofSeconds(1)))
                .as("late sends that went anyway")
                .isGreaterThan(limit);
        assertThat(maxInAnyWindow(sends(limit, true), Duration.ofSeconds(1))).isLessThanOrEqualTo(limit);
    }

    /** A minute of back-to-back sends on one trunk, one in ten woken beyond the tolerance. */
    private static List<Instant> sends(int limit, boolean rebookWhenLate) {
        var random = new Random(11);
        var spacing = Pacer.spacing(limit, BigDecimal.ONE, TOLERANCE);
        var sends = new ArrayList<Instant>();
        Instant nextSendAt = null;
        var ready = T0;
        for (int i = 0; i < 60 * limit; i++) {
            var slot = Pacer.sendSlot(nextSendAt, null, ready);
            nextSendAt = slot.plus(spacing);
            var woken = slot.plus(random.nextInt(10) == 0 ? beyondTolerance(random) : withinTolerance(random));
            while (rebookWhenLate && !Pacer.onTime(slot, woken, TOLERANCE)) {
                slot = Pacer.sendSlot(nextSendAt, null, woken);
                nextSendAt = slot.plus(spacing);
                woken = slot.plus(withinTolerance(random));
            }
            sends.add(woken);
            ready = ready.plus(spacing);
        }
        return sends;
    }

    private static Duration withinTolerance(Random random) {
        return Duration.ofNanos(random.nextLong(TOLERANCE.toNanos() + 1));
    }

    private static Duration beyondTolerance(Random random) {
        return TOLERANCE.plusMillis(1 + random.nextInt(300));
    }

    @Test
    void aSendWaitsOutAPauseAndAnIdleTrunkSendsAtOnce() {
        assertThat(Pacer.sendSlot(null, null, T0)).isEqualTo(T0);
        assertThat(Pacer.sendSlot(T0.minusSeconds(10), null, T0)).isEqualTo(T0);
        assertThat(Pacer.sendSlot(T0.plusMillis(80), null, T0)).isEqualTo(T0.plusMillis(80));
        assertThat(Pacer.sendSlot(T0.plusMillis(80), T0.plusSeconds(2), T0)).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aReducedRateFactorSpacesStartsFurther() {
        assertThat(Pacer.spacing(10, BigDecimal.ONE, TOLERANCE)).isEqualTo(Duration.ofMillis(102));
        assertThat(Pacer.spacing(10, new BigDecimal("0.5"), TOLERANCE)).isEqualTo(Duration.ofMillis(204));
    }

    @Test
    void withoutALimitEveryWantedStartIsGranted() {
        var grant = Pacer.grant(null, BigDecimal.ONE, null, T0, 25, TOLERANCE);
        assertThat(grant.slots()).hasSize(25).containsOnly(T0);
    }

    /** A start happens when the dispatcher grants it; the slot is its nominal time. */
    private static Instant startedAt(Instant slot, Instant now) {
        assertThat(slot).isBeforeOrEqualTo(now);
        assertThat(Duration.between(slot, now)).isLessThanOrEqualTo(TOLERANCE);
        return now;
    }
}
