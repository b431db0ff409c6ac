package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class WebhookRetentionIntegrationTests extends WebhookIntegrationTest {

    @Autowired
    WebhookRetention retention;

    @Test
    void finishedDeliveriesAreForgottenAfterTheRetentionAndPendingOnesNever() {
        var setup = newSetup();
        var receiver = receiver();
        var endpoint =
                endpoint(setup.api(), Map.of("url", receiver.url())).get("id").asString();
        LIVEKIT.onDial("+12025550101", DialScript.sipFailure(486, "Busy Here"));
        var call = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", "+12025550101", "wait_until_answered", true))
                .json();
        var events = setup.api()
                .get("/calls/" + call.get("call_id").asString() + "/events")
                .json()
                .get("data")
                .size();
        receiver.await(events);
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .until(() -> deliveries(setup.api(), endpoint).stream()
                        .allMatch(d -> d.get("status").asString().equals("delivered")));

        clock.advance(Duration.ofDays(29));
        retention.forgetOldDeliveries();
        assertThat(deliveries(setup.api(), endpoint)).hasSize(events);

        clock.advance(Duration.ofDays(2));
        receiver.respondWith(500); // a delivery that is still pending when the retention passes
        creditLow(setup.org().id(), clock.instant());
        retention.forgetOldDeliveries();

        var left = deliveries(setup.api(), endpoint);
        assertThat(left).hasSize(1);
        assertThat(left.getFirst().get("event_type").asString()).isEqualTo("credit.low");
    }
}
