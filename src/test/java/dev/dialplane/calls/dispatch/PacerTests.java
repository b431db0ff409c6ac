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
            var grant = Pacer.grant(limit, BigDecimal.ONE, next, now, 50, TOLERANCE, Duration.ZERO);
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
            var grant = Pacer.grant(limit, BigDecimal.ONE, next, now, 1, TOLERANCE, Duration.ZERO);
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
        var first = Pacer.grant(1, BigDecimal.ONE, null, T0, 5, TOLERANCE, Duration.ZERO);
        assertThat(first.slots()).containsExactly(T0);
        // ten seconds later the trunk was idle: one start now, not ten
        var later = Pacer.grant(1, BigDecimal.ONE, first.nextSlotAt(), T0.plusSeconds(10), 5, TOLERANCE, Duration.ZERO);
        assertThat(later.slots()).hasSize(1);
        var tooSoon = Pacer.grant(
                1, BigDecimal.ONE, later.nextSlotAt(), T0.plusSeconds(10).plusMillis(500), 5, TOLERANCE, Duration.ZERO);
        assertThat(tooSoon.slots()).isEmpty();
        assertThat(tooSoon.nextSlotAt()).isEqualTo(later.nextSlotAt());
    }

    @ParameterizedTest(name = "cps {0}")
    @ValueSource(ints = {1, 2, 10, 30, 200})
    void claimsGrantedAheadComeEarlierButNeverCloser(int limit) {
        var ahead = Duration.ofMillis(250);
        var random = new Random(11);
        var claims = new ArrayList<Instant>();
        var slots = new ArrayList<Instant>();
        Instant next = null;
        var now = T0;
        while (now.isBefore(T0.plusSeconds(60))) {
            var grant = Pacer.grant(limit, BigDecimal.ONE, next, now, 50, TOLERANCE, ahead);
            for (var slot : grant.slots()) {
                assertThat(slot).as("a slot granted at %s", now).isBeforeOrEqualTo(now.plus(ahead));
                claims.add(now);
                slots.add(slot);
            }
            next = grant.nextSlotAt();
            now = now.plusNanos(random.nextInt(random.nextInt(100) == 0 ? 200_000_000 : 10_000_000) + 1);
        }
        // the slots keep the pace; the claims run at most `ahead` before them, so no more than
        // ahead × cps (plus the one due now) are ever claimed and waiting for their slot
        assertThat(maxInAnyWindow(slots, Duration.ofSeconds(1))).isLessThanOrEqualTo(limit);
        for (var at : claims) {
            var waiting = 0;
            for (int j = 0; j < claims.size() && !claims.get(j).isAfter(at); j++) {
                if (slots.get(j).isAfter(at)) {
                    waiting++;
                }
            }
            assertThat(waiting).as("claimed by %s for a later slot", at).isLessThanOrEqualTo((int) (limit * 0.25) + 1);
        }
        assertThat(slots.size()).isGreaterThanOrEqualTo((int) (limit * 60 * 0.75));
    }

    @Test
    void anIdleTrunkGrantsTheSlotAheadAtOnceAndThenWaitsForItsPace() {
        var ahead = Duration.ofMillis(250);
        var first = Pacer.grant(2, BigDecimal.ONE, null, T0, 5, TOLERANCE, ahead);
        assertThat(first.slots()).containsExactly(T0);
        var spacing = Pacer.spacing(2, BigDecimal.ONE, TOLERANCE);
        assertThat(first.nextSlotAt()).isEqualTo(T0.plus(spacing));
        // 300 ms later the next slot (510 ms) is within 250 ms: claimed now, for then
        var second = Pacer.grant(2, BigDecimal.ONE, first.nextSlotAt(), T0.plusMillis(300), 5, TOLERANCE, ahead);
        assertThat(second.slots()).containsExactly(T0.plus(spacing));
        var tooSoon = Pacer.grant(2, BigDecimal.ONE, second.nextSlotAt(), T0.plusMillis(400), 5, TOLERANCE, ahead);
        assertThat(tooSoon.slots()).isEmpty();
        assertThat(tooSoon.nextSlotAt()).isEqualTo(T0.plus(spacing.multipliedBy(2)));
    }

    @ParameterizedTest(name = "cps {0}")
    @ValueSource(ints = {2, 10, 20, 50})
    void claimsAheadOfSendsThatLoseSlotsDoNotPileUpPreparedDials(int limit) {
        // two minutes of a trunk with a queue that never empties, in 1 ms steps: claims granted 250 ms
        // ahead, each dial prepared 5 to 300 ms later and booked on the send chain; one send in 20 is
        // woken too late and books the chain's next free slot instead (its own slot is lost)
        var ahead = Duration.ofMillis(250);
        var random = new Random(3);
        var spacing = Pacer.spacing(limit, BigDecimal.ONE, TOLERANCE);
        var preparing = new ArrayList<Instant>();
        var booked = new ArrayList<Instant>();
        var sent = new ArrayList<Instant>();
        Instant nextSlotAt = null;
        Instant nextSendAt = null;
        var claimed = 0;
        var lost = 0;
        var mostWaiting = 0;
        for (var now = T0; now.isBefore(T0.plusSeconds(120)); now = now.plusMillis(1)) {
            var grant = Pacer.grant(
                    limit, BigDecimal.ONE, Pacer.claimCursor(nextSlotAt, nextSendAt), now, 50, TOLERANCE, ahead);
            for (var ignored : grant.slots()) {
                preparing.add(now.plusMillis(5 + random.nextInt(296)));
                claimed++;
            }
            if (!grant.slots().isEmpty()) {
                nextSlotAt = grant.nextSlotAt();
            }
            for (var it = preparing.iterator(); it.hasNext(); ) {
                if (!it.next().isAfter(now)) {
                    it.remove();
                    var slot = Pacer.sendSlot(nextSendAt, null, now);
                    nextSendAt = slot.plus(spacing);
                    booked.add(slot);
                }
            }
            for (var it = booked.listIterator(); it.hasNext(); ) {
                if (!it.next().isAfter(now)) {
                    it.remove();
                    if (random.nextInt(20) == 0) {
                        lost++;
                        var slot = Pacer.sendSlot(nextSendAt, null, now);
                        nextSendAt = slot.plus(spacing);
                        it.add(slot);
                    } else {
                        sent.add(now);
                    }
                }
            }
            mostWaiting = Math.max(mostWaiting, claimed - sent.size());
        }
        assertThat(maxInAnyWindow(sent, Duration.ofSeconds(1))).isLessThanOrEqualTo(limit);
        // claimed and not sent: those preparing (300 ms at most) and those waiting for their slot
        // (250 ms ahead), plus the few whose slot passes while they are prepared; never a growing pile
        var bound = (int) Math.ceil((300 + 250) / (spacing.toNanos() / 1e6)) + 3;
        assertThat(mostWaiting).as("most dials claimed and not sent at once").isLessThanOrEqualTo(bound);
        // a slot lost is lost, but hardly any other goes unused for a slow preparation
        var slots = Duration.ofSeconds(120).toNanos() / spacing.toNanos();
        assertThat(sent.size() + lost).isGreaterThanOrEqualTo((int) (slots * 0.98));
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
        var grant = Pacer.grant(null, BigDecimal.ONE, null, T0, 25, TOLERANCE, Duration.ZERO);
        assertThat(grant.slots()).hasSize(25).containsOnly(T0);
    }

    /** A start happens when the dispatcher grants it; the slot is its nominal time. */
    private static Instant startedAt(Instant slot, Instant now) {
        assertThat(slot).isBeforeOrEqualTo(now);
        assertThat(Duration.between(slot, now)).isLessThanOrEqualTo(TOLERANCE);
        return now;
    }
}
