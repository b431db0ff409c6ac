package dev.dialplane.calls.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.livekit.LiveKitClient;
import dev.dialplane.livekit.LiveKitException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A dial that provably never reached LiveKit (no connection, a failed write, a connection the server
 * had closed: {@code SdkLiveKitClient} says so with {@link LiveKitException#nothingSent}) rang
 * nobody: the call goes back to the queue and is dialed once LiveKit can be reached, within its
 * own time. The test's node dials through a LiveKit client whose first dial is not sent.
 */
class UnsentDialIntegrationTests extends OwnNodeIntegrationTest {

    @Test
    void aDialThatNeverLeftGoesBackToTheQueueAndIsDialedOnceLiveKitIsReachable() {
        var unsent = new AtomicInteger();
        var node = new CallDispatcher(
                claims,
                new Dialer(
                        lifecycle,
                        claims,
                        pacing,
                        trunks,
                        firstDialNotSent(unsent),
                        recordings,
                        outcomes,
                        properties,
                        json,
                        meters,
                        clock),
                lifecycle,
                properties,
                clock,
                new SimpleMeterRegistry(),
                "unsent-node");
        var setup = newSetup();
        pauseTrunk(setup, true);
        var placed = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", "+12025550181", "ringing_timeout_seconds", 30));
        var id = placed.json().get("call_id").asString();
        var room = placed.json().get("room_name").asString();
        pauseTrunk(setup, false);

        node.turn(clock.instant());

        Awaitility.await()
                .atMost(WAIT)
                .until(() -> statuses(setup, id), s -> s.equals(List.of("queued", "dialing", "queued")));
        assertThat(unsent).hasValue(1);
        assertThat(requestsFor("SIP", "CreateSIPParticipant", room))
                .as("nothing reached LiveKit")
                .isEmpty();
        var requeued = setup.api().get("/calls/" + id).json();
        assertThat(requeued.get("status").asString()).isEqualTo("queued");

        // due again after its backoff (1 s at least): the next turn then dials it, once
        clock.advance(Duration.ofSeconds(2));
        node.turn(clock.instant());

        var answered = awaitCall(setup.api(), id, "in_progress");
        assertThat(answered.get("sip_status_code").asInt()).isEqualTo(200);
        dialedOnce(room);
    }

    /** The real client, but its first dial fails as one that never reached LiveKit. */
    private LiveKitClient firstDialNotSent(AtomicInteger unsent) {
        return (LiveKitClient) Proxy.newProxyInstance(
                LiveKitClient.class.getClassLoader(), new Class<?>[] {LiveKitClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("dial") && unsent.compareAndSet(0, 1)) {
                        throw LiveKitException.nothingSent("LiveKit is unreachable: connect refused (test)");
                    }
                    try {
                        return method.invoke(liveKit, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
