package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@code call.outcome_reported}: each report reaches the client, signed, in order with the call's other events. */
class OutcomeWebhookIntegrationTests extends WebhookIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void eachReportIsDeliveredInOrderWithTheCallsEventsAndLaterEventsCarryTheOutcome() {
        var setup = newSetup();
        var receiver = receiver();
        var secret = secret(endpoint(setup.api(), Map.of("url", receiver.url())));
        var call = answeredCall(setup, "+12025550123");
        var id = call.get("id").asString();
        var metadata = JSON.readTree(requestsFor(
                        "AgentDispatchService",
                        "CreateDispatch",
                        call.get("room_name").asString())
                .getFirst()
                .bodyAs(CreateAgentDispatchRequest.class)
                .getMetadata());
        var agent = anonymous().withKey(metadata.get("dialplane.report_token").asString());
        var path = URI.create(metadata.get("dialplane.report_url").asString()).getPath();

        var reported = agent.post(path, Map.of("answered_by", "human", "disposition", "interested"));
        assertThat(reported.status()).as(reported.text()).isEqualTo(200);
        assertThat(setup.api().post("/calls/" + id + "/hangup").status()).isEqualTo(200);
        assertThat(agent.post(path, Map.of("summary", "Wants a demo.")).status())
                .isEqualTo(200);

        var messages = receiver.await(
                6,
                m -> m.json().get("data").has("call")
                        && id.equals(m.json().get("data").get("call").get("id").asString()));
        assertThat(messages.stream().map(WebhookReceiver.Received::type).toList())
                .containsExactly(
                        "call.queued",
                        "call.dialing",
                        "call.answered",
                        "call.outcome_reported",
                        "call.completed",
                        "call.outcome_reported");
        messages.forEach(m -> m.verifyWith(secret));
        assertThat(messages.stream()
                        .map(m -> m.json().get("data").get("sequence").asInt())
                        .toList())
                .containsExactly(1, 2, 3, 4, 5, 6);

        var first = messages.get(3).json().get("data").get("call");
        assertThat(first.get("answered_by").asString()).isEqualTo("human");
        assertThat(first.get("disposition").asString()).isEqualTo("interested");
        assertThat(first.get("status").asString()).isEqualTo("in_progress");
        var completed = messages.get(4).json().get("data").get("call");
        assertThat(completed.get("disposition").asString())
                .as("a later status event shows the call with its outcome")
                .isEqualTo("interested");
        var last = messages.get(5).json();
        assertThat(last.get("data").get("call"))
                .isEqualTo(setup.api().get("/calls/" + id).json());
        assertThat(last.get("data").get("call").get("summary").asString()).isEqualTo("Wants a demo.");
        assertThat(last.get("timestamp").asString())
                .isEqualTo(
                        last.get("data").get("call").get("outcome_reported_at").asString());
        assertThat(messages)
                .allSatisfy(m -> assertThat(m.body())
                        .doesNotContain(metadata.get("dialplane.report_token").asString()));
    }

    @Test
    void anEndpointSubscribedToOutcomesOnlyGetsOnlyThem() {
        var setup = newSetup();
        var receiver = receiver();
        var created =
                endpoint(setup.api(), Map.of("url", receiver.url(), "event_types", List.of("call.outcome_reported")));
        assertThat(created.get("event_types").get(0).asString()).isEqualTo("call.outcome_reported");
        var call = answeredCall(setup, "+12025550123");
        var id = call.get("id").asString();

        var byKey = setup.api().post("/calls/" + id + "/outcome", Map.of("sentiment_score", 0.2));
        assertThat(byKey.status()).as(byKey.text()).isEqualTo(200);

        var messages = receiver.await(1);
        assertThat(messages).hasSize(1);
        assertThat(messages.getFirst().type()).isEqualTo("call.outcome_reported");
        assertThat(messages.getFirst()
                        .json()
                        .get("data")
                        .get("call")
                        .get("sentiment_score")
                        .asDouble())
                .isEqualTo(0.2);
        assertThat(onlyDelivery(setup.api(), created.get("id").asString())
                        .get("event_type")
                        .asString())
                .isEqualTo("call.outcome_reported");
    }
}
