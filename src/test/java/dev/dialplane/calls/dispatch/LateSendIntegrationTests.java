package dev.dialplane.calls.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.common.Jdbc;
import dev.dialplane.livekit.LiveKitClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A paced dial whose thread wakes later than the pacing tolerance (a stall, a busy machine) must
 * not be sent then: the next slot's dial may already have gone, and the carrier would count both
 * in one second. It books a new slot instead. Here a trunk allows 1 dial per second; the first
 * call's wait is held until the second call has been dialed at its own slot, then let go.
 */
class LateSendIntegrationTests extends OwnNodeIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void aSendWokenLateBooksTheNextFreeSlotInsteadOfBunchingWithTheNextDial() throws InterruptedException {
        var sends = new CopyOnWriteArrayList<Instant>();
        var held = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var first = new AtomicBoolean(true);
        Dialer.Sleeper sleeper = duration -> {
            if (first.compareAndSet(true, false)) {
                held.countDown();
                // the stalled thread: it wakes only when the test lets it
                if (!release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new InterruptedException("never released");
                }
            } else {
                Thread.sleep(duration);
            }
        };
        var rebooked = new SimpleMeterRegistry();
        var node = new CallDispatcher(
                claims,
                new Dialer(
                        lifecycle,
                        claims,
                        pacing,
                        trunks,
                        recordingSends(sends),
                        recordings,
                        outcomes,
                        properties,
                        json,
                        rebooked,
                        clock,
                        sleeper),
                lifecycle,
                properties,
                clock,
                new SimpleMeterRegistry(),
                "late-node");
        var setup = newSetup();
        pauseTrunk(setup, true);
        for (var to : List.of("+12025550191", "+12025550192")) {
            var placed = setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", to));
            assertThat(placed.status()).as(placed.text()).isEqualTo(200);
        }
        var limited = setup.api().patch("/sip-trunks/" + setup.trunkId(), body("max_channels", null, "cps_limit", 1));
        assertThat(limited.status()).as(limited.text()).isEqualTo(200);
        // the trunk's next send is booked a little ahead (within the prepare-ahead, so the call is
        // claimed at once), and the first dial certainly waits for it
        var t0 = clock.instant();
        jdbc.sql("""
                        insert into trunk_send_slots (trunk_id, next_send_at) values (:trunk, :next)""")
                .params(Map.of("trunk", setup.trunkId(), "next", Jdbc.utc(t0.plusMillis(200))))
                .update();

        node.turn(clock.instant());
        assertThat(held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("the first dial waits for its slot")
                .isTrue();
        // its thread stalls past its slot; meanwhile the next call is claimed and dialed at its own slot
        clock.advance(Duration.ofMillis(1100));
        node.turn(clock.instant());
        Awaitility.await().atMost(WAIT).until(sends::size, n -> n == 1);
        release.countDown();
        Awaitility.await().atMost(WAIT).until(sends::size, n -> n == 2);

        var spacing = Pacer.spacing(1, java.math.BigDecimal.ONE, properties.pacingTolerance());
        assertThat(Duration.between(sends.get(0), sends.get(1)))
                .as("the late dial went a full spacing after the one sent meanwhile, not beside it")
                .isGreaterThanOrEqualTo(spacing.minus(properties.pacingTolerance()));
        assertThat(rebooked.get("dialplane.dials.rebooked").counter().count()).isEqualTo(1.0);
    }

    /** The real client, noting when (on the application's clock) each dial is sent. */
    private LiveKitClient recordingSends(List<Instant> sends) {
        return (LiveKitClient) Proxy.newProxyInstance(
                LiveKitClient.class.getClassLoader(), new Class<?>[] {LiveKitClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("dial")) {
                        sends.add(clock.instant());
                    }
                    try {
                        return method.invoke(liveKit, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
