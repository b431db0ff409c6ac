package dev.dialplane.calls.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A node holding queued calls that cannot be dialed yet does bounded claim work and otherwise
 * sleeps: the dispatch loop is woken only by what can change the answer. The test drives the loop
 * turn by turn over settable time, exactly as {@code CallDispatcher.run} does (a woken loop turns
 * again at once, otherwise it waits until the turn's "next"), and counts claim transactions.
 */
class DispatcherIdleIntegrationTests extends OwnNodeIntegrationTest {

    private static final Duration STRETCH = Duration.ofSeconds(10);

    @Test
    void callsQueuedOnAPausedTrunkCostOneClaimPerPollIntervalAndNothingElse() {
        var setup = newSetup();
        pauseTrunk(setup, true);
        for (int i = 0; i < 5; i++) {
            var placed = setup.api()
                    .post(
                            "/calls/outbound",
                            body("agent_id", setup.agentId(), "to_number", "+1415557" + String.format("%04d", i)));
            assertThat(placed.status()).as(placed.text()).isEqualTo(200);
            assertThat(placed.json().get("status").asString()).isEqualTo("queued");
        }
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

    @Test
    void aCallWaitingForItsCapacityRetryWakesTheLoopWhenTheRetryIsDueAndNotBefore() {
        var setup = newSetup();
        LIVEKIT.onDial("+12025550186", DialScript.sipFailure(503, "Service Unavailable"));
        var slow = new DispatchProperties(
                true,
                Duration.ofSeconds(1),
                properties.lease(),
                properties.batchSize(),
                1,
                Duration.ofSeconds(30),
                properties.pacingTolerance(),
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
        var placed =
                setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550186"));
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
