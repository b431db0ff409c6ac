package dev.dialplane.calls.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.compliance.CompliancePolicyService;
import dev.dialplane.compliance.DoNotCallList;
import dev.dialplane.fakelivekit.DialScript;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A node holding queued calls that cannot be dialed yet does bounded claim work and otherwise
 * sleeps: the dispatch loop is woken only by what can change the answer. The test drives the loop
 * turn by turn over settable time, exactly as {@code CallDispatcher.run} does (a woken loop turns
 * again at once, otherwise it waits until the turn's "next"), and counts claim transactions.
 */
class DispatcherIdleIntegrationTests extends OwnNodeIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    CompliancePolicyService policies;

    @Autowired
    DoNotCallList doNotCall;

    private static final Duration STRETCH = Duration.ofSeconds(10);

    @Test
    void callsQueuedOnAPausedTrunkCostOneClaimPerPollIntervalAndNothingElse() {
        var setup = newSetup();
        pauseTrunk(setup, true);
        queue(setup, "+1415557", 5);
        var node = new CallDispatcher(
                claims, dialer, lifecycle, properties, clock, new SimpleMeterRegistry(), "idle-node");

        // other tests' calls may be queued on trunks of their own: each trunk costs one claim per turn
        var trunks = claims.trunksWithQueuedCalls().size();
        var claimsBefore = claimCount();
        var turns = turnFor(node, STRETCH);

        var polls = (int) (STRETCH.toMillis() / properties.pollInterval().toMillis());
        assertThat(turns).as("loop turns over %s of settable time", STRETCH).isLessThanOrEqualTo(polls + 2);
        assertThat(claimCount() - claimsBefore).as("claim transactions").isLessThanOrEqualTo((polls + 2) * trunks);
    }

    @ParameterizedTest(name = "cps_limit {0}")
    @NullSource
    @ValueSource(ints = 5)
    void aCallWaitingForItsCapacityRetryWakesTheLoopWhenTheRetryIsDueAndNotBefore(Integer cpsLimit) {
        var setup = newSetup();
        // a paced trunk whose queue holds nothing due has slots left over: they must not make the loop turn again at
        // once
        var limited = setup.api().patch("/sip-trunks/" + setup.trunkId(), body("cps_limit", cpsLimit));
        assertThat(limited.status()).as(limited.text()).isEqualTo(200);
        var number = cpsLimit == null ? "+12025550186" : "+12025550187";
        LIVEKIT.onDial(number, DialScript.sipFailure(503, "Service Unavailable"));
        var slow = new DispatchProperties(
                true,
                Duration.ofSeconds(1),
                properties.lease(),
                properties.batchSize(),
                1,
                Duration.ofSeconds(30),
                properties.pacingTolerance(),
                properties.prepareAhead(),
                properties.maxQueueTime(),
                properties.maxDialsPreparing(),
                properties.unreachableRetryWindow(),
                "retry-node");
        // this node's own dialer retries a capacity refusal once, after 30 s
        var slowDialer =
                new Dialer(lifecycle, claims, pacing, trunks, liveKit, recordings, outcomes, slow, json, meters, clock);
        var node =
                new CallDispatcher(claims, slowDialer, lifecycle, slow, clock, new SimpleMeterRegistry(), "retry-node");
        pauseTrunk(setup, true);
        var placed = setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", number));
        var id = placed.json().get("call_id").asString();
        pauseTrunk(setup, false);

        // the node's turn claims and dials it; the carrier refuses it for capacity: retry in 30 s
        node.turn(clock.instant());
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> statuses(setup, id), statuses -> statuses.equals(List.of("queued", "dialing", "queued")));
        assertThat(node.wakePending())
                .as("the requeue wakes the loop once, so it learns the retry time")
                .isTrue();
        node.drainWakeUps();

        var now = clock.instant();
        var next = node.turn(now);
        assertThat(node.wakePending())
                .as("a turn that found nothing due does not wake itself")
                .isFalse();
        assertThat(next)
                .as("the loop sleeps (a poll interval at most) while the retry is further off")
                .isAfter(now)
                .isBeforeOrEqualTo(now.plus(slow.pollInterval()));

        // 29.5 s later, the next turn is due exactly when the retry is
        clock.advance(Duration.ofMillis(29_500));
        var later = clock.instant();
        var due = node.turn(later);
        assertThat(due).isAfter(later).isBeforeOrEqualTo(later.plus(Duration.ofMillis(500)));
        assertThat(node.wakePending()).isFalse();
    }

    @Test
    void turnsWokenBetweenAPacedTrunksSlotsLeaveItsLockAlone() {
        var setup = newSetup();
        pauseTrunk(setup, true);
        queue(setup, "+1415558", 4);
        // two dials a second: a slot every 520 ms, each claimed prepare-ahead (250 ms) before it
        var limited = setup.api().patch("/sip-trunks/" + setup.trunkId(), body("max_channels", null, "cps_limit", 2));
        assertThat(limited.status()).as(limited.text()).isEqualTo(200);
        // other tests' calls may be queued on trunks of their own: only this trunk's claims count
        var trunkClaims = new AtomicInteger();
        var counted =
                new CallClaims(
                        jdbc,
                        lifecycle,
                        transactions,
                        transactionManager,
                        properties,
                        policies,
                        doNotCall,
                        clock,
                        meters) {
                    @Override
                    Result claim(UUID trunkId, String node, int wanted) {
                        if (trunkId.equals(setup.trunkId())) {
                            trunkClaims.incrementAndGet();
                        }
                        return super.claim(trunkId, node, wanted);
                    }
                };
        var node = new CallDispatcher(
                counted, dialer, lifecycle, properties, clock, new SimpleMeterRegistry(), "paced-node");

        var now = clock.instant();
        var next = node.turn(now);
        assertThat(trunkClaims.get()).as("the first turn's claims").isEqualTo(1);
        assertThat(notQueued(setup)).as("calls claimed by the first turn").isEqualTo(1);
        var spacing = Pacer.spacing(2, BigDecimal.ONE, properties.pacingTolerance());
        assertThat(next)
                .as("the next turn comes when the next slot can be claimed")
                .isAfter(now)
                .isBeforeOrEqualTo(now.plus(spacing).minus(properties.prepareAhead()));

        // woken meanwhile (new calls, ended ones): the turns know the trunk's pace and take no claim
        for (int i = 0; i < 5; i++) {
            node.wake();
            node.drainWakeUps();
            assertThat(node.turn(now)).isBeforeOrEqualTo(next);
        }
        assertThat(trunkClaims.get())
                .as("claims once the turns were woken between the slots")
                .isEqualTo(1);

        // the next slot is one spacing after the first claim's; it is claimed prepare-ahead before it
        clock.advance(spacing.minus(properties.prepareAhead()).plusMillis(50));
        node.turn(clock.instant());
        assertThat(trunkClaims.get())
                .as("claims after the turn at the next slot")
                .isEqualTo(2);
        assertThat(notQueued(setup)).as("calls claimed by the two turns").isEqualTo(2);
        pauseTrunk(setup, true); // its other calls are not the other tests' to count
    }

    /** Places {@code count} calls on the setup's paused trunk, to numbers {@code prefix} + 0000…: each waits queued. */
    private static void queue(Setup setup, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            var placed = setup.api()
                    .post(
                            "/calls/outbound",
                            body("agent_id", setup.agentId(), "to_number", prefix + String.format("%04d", i)));
            assertThat(placed.status()).as(placed.text()).isEqualTo(200);
            assertThat(placed.json().get("status").asString()).isEqualTo("queued");
        }
    }

    private int notQueued(Setup setup) {
        return jdbc.sql("select count(*) from calls where sip_trunk_id = :trunk and status <> 'queued'")
                .param("trunk", setup.trunkId())
                .query(Integer.class)
                .single();
    }

    /** Turns the node's loop over {@code stretch} of settable time; returns how many turns it took. */
    private int turnFor(CallDispatcher node, Duration stretch) {
        var end = clock.instant().plus(stretch);
        var turns = 0;
        while (clock.instant().isBefore(end)) {
            var next = node.turn(clock.instant());
            turns++;
            if (turns > 10_000) {
                break; // a spinning loop: the assertions say so
            }
            if (node.wakePending()) {
                node.drainWakeUps(); // woken: it turns again at once, as CallDispatcher.run does
                continue;
            }
            var wait = Duration.between(clock.instant(), next);
            if (wait.isPositive()) {
                clock.advance(wait);
            }
        }
        return turns;
    }

    private long claimCount() {
        var timer = meters.find("dialplane.dispatch.claim").timer();
        return timer == null ? 0 : timer.count();
    }
}
