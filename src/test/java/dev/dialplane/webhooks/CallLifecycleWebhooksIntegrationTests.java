package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.support.Api;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * From LiveKit's webhooks in to the client's webhooks out: whatever the order, repetition and
 * delay of LiveKit's events, every call ends in exactly one terminal state and the client gets
 * exactly one terminal event for it, signed, in sequence, carrying what the call cost.
 */
class CallLifecycleWebhooksIntegrationTests extends WebhookIntegrationTest {

    private static final Set<String> TERMINAL = Set.of("call.completed", "call.failed");

    @Autowired
    JdbcClient jdbc;

    @Test
    void anAnsweredCallEndedByLiveKitYieldsOneCompletedEvent() {
        var setup = newSetup();
        var receiver = receiver();
        var secret = secret(endpoint(setup.api(), Map.of("url", receiver.url())));
        var call = answeredCall(setup, "+12025550123");
        var id = call.get("id").asString();
        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        var pending = LIVEKIT.webhooks().pending();
        var left = pending.stream()
                .filter(e -> e.getEvent().equals("participant_left"))
                .findFirst()
                .orElseThrow();

        // LiveKit's delivery: the leave twice, the rest after, and the leave once more much later
        LIVEKIT.webhooks().deliverTwice(left);
        deliverWebhooks();
        LIVEKIT.webhooks().deliver(left);

        var messages = receiver.await(
                4,
                m -> m.json().get("data").has("call")
                        && id.equals(m.json().get("data").get("call").get("id").asString()));
        var types = messages.stream().map(WebhookReceiver.Received::type).toList();
        assertThat(types).containsExactly("call.queued", "call.dialing", "call.answered", "call.completed");
        messages.forEach(m -> m.verifyWith(secret));
        var completed = messages.getLast().json().get("data");
        assertThat(completed.get("sequence").asInt()).isEqualTo(4);
        assertThat(completed.get("call").get("end_reason").asString()).isEqualTo("hangup_by_callee");
        assertThat(completed.get("call").has("cost")).isTrue();
        assertThat(completed.get("call"))
                .isEqualTo(setup.api().get("/calls/" + id).json());
        assertExactlyOneTerminalEventPerCall(receiver, List.of(id));
    }

    @Test
    void everyWayACallCanEndGivesExactlyOneTerminalEvent() {
        var setup = newSetup();
        var receiver = receiver();
        endpoint(setup.api(), Map.of("url", receiver.url(), "event_types", List.of("call.completed", "call.failed")));
        var ids = new ArrayList<String>();

        LIVEKIT.onDial("+12025550101", DialScript.sipFailure(486, "Busy Here"));
        ids.add(place(setup, "+12025550101"));
        LIVEKIT.onDial("+12025550102", DialScript.ringingTimeout());
        ids.add(place(setup, "+12025550102"));
        LIVEKIT.onDial("+12025550107", DialScript.unavailable());
        ids.add(place(setup, "+12025550107"));

        var hungUpByCallee = answeredCall(setup, "+12025550123");
        ids.add(hungUpByCallee.get("id").asString());
        LIVEKIT.hangUpByCallee(hungUpByCallee.get("room_name").asString());

        var hungUpByApi = answeredCall(setup, "+12025550124");
        ids.add(hungUpByApi.get("id").asString());
        assertThat(setup.api()
                        .post("/calls/" + hungUpByApi.get("id").asString() + "/hangup")
                        .status())
                .isEqualTo(200);

        var held = LIVEKIT.onDial("+12025550125", DialScript.holdUntilReleased());
        var canceled = setup.api()
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550125"))
                .json();
        held.awaitDialed(WAIT);
        ids.add(canceled.get("call_id").asString());
        assertThat(setup.api()
                        .post("/calls/" + canceled.get("call_id").asString() + "/hangup")
                        .status())
                .isEqualTo(200);

        // every LiveKit event of these calls, in reverse order and each one twice
        var events = new ArrayList<>(LIVEKIT.webhooks().pending());
        java.util.Collections.reverse(events);
        for (WebhookEvent event : events) {
            LIVEKIT.webhooks().deliverTwice(event);
        }

        receiver.await(ids.size());
        assertExactlyOneTerminalEventPerCall(receiver, ids);
        for (var id : ids) {
            var terminal = setup.api()
                    .get("/calls/" + id + "/events")
                    .json()
                    .get("data")
                    .valueStream()
                    .filter(e -> Set.of("completed", "busy", "no_answer", "failed", "canceled")
                            .contains(e.get("status").asString()))
                    .count();
            assertThat(terminal).as("terminal states of call " + id).isEqualTo(1);
        }
    }

    @Test
    void creditLowReachesTheClientOnceWhenACallTakesTheBalanceBelowTheThreshold() {
        // 12 credits, threshold 10, 6.00 per minute: each 30 s call costs 3
        var setup = newSetup(12);
        admin().patch("/admin/organizations/" + setup.org().id(), Map.of("rate_per_minute", new BigDecimal("6.00")));
        var receiver = receiver();
        endpoint(setup.api(), Map.of("url", receiver.url(), "event_types", List.of("credit.low")));

        endCallAfter(setup, "+12025550123", 30); // 12 → 9: crosses
        endCallAfter(setup, "+12025550124", 30); // 9 → 6: already low

        var low = receiver.await(1);
        assertThat(low).hasSize(1);
        var data = low.getFirst().json().get("data");
        assertThat(low.getFirst().type()).isEqualTo("credit.low");
        assertThat(data.get("organization_id").asString())
                .isEqualTo(setup.org().id().toString());
        assertThat(data.get("balance").decimalValue()).isEqualByComparingTo("9");
        assertThat(data.get("threshold").decimalValue()).isEqualByComparingTo("10");
        // the second charge is delivered as a call event only; still exactly one credit.low
        var all = deliveries(setup.api(), endpointsOf(setup.api()).getFirst());
        assertThat(all).hasSize(1);
    }

    private void endCallAfter(Setup setup, String to, int seconds) {
        var call = answeredCall(setup, to, "max_call_duration_seconds", 60);
        jdbc.sql("update calls set answered_at = :at where id = :id")
                .param("at", java.time.OffsetDateTime.now().minusSeconds(seconds))
                .param("id", java.util.UUID.fromString(call.get("id").asString()))
                .update();
        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        deliverWebhooks();
    }

    private static String place(Setup setup, String to) {
        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", to, "wait_until_answered", true));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("call_id").asString();
    }

    private static List<String> endpointsOf(Api api) {
        return api.get("/webhook-endpoints")
                .json()
                .get("data")
                .valueStream()
                .map(e -> e.get("id").asString())
                .toList();
    }

    private static void assertExactlyOneTerminalEventPerCall(WebhookReceiver receiver, List<String> callIds) {
        for (var id : callIds) {
            var terminal = receiver.received().stream()
                    .filter(m -> TERMINAL.contains(m.type()))
                    .map(m -> m.json().get("data").get("call"))
                    .filter(call -> id.equals(call.get("id").asString()))
                    .map(JsonNode::toString)
                    .toList();
            assertThat(terminal).as("terminal client webhooks of call " + id).hasSize(1);
        }
    }
}
