package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Endpoints of format {@code talkifai}: TalkifAI's envelope, events, signature and retry schedule,
 * through the same outbox, worker and delivery log as Standard Webhooks endpoints.
 */
class TalkifaiWebhooksIntegrationTests extends WebhookIntegrationTest {

    private static final String TALKIFAI = "talkifai";

    @Autowired
    WebhookWorker worker;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anAnsweredCallIsStartedThenEndedAndABusyOneFailedInTalkifaisEnvelopeSigned() {
        var setup = newSetup();
        var receiver = receiver();
        var standard = receiver();
        var created = endpoint(setup.api(), Map.of("url", receiver.url(), "format", TALKIFAI));
        assertThat(created.get("format").asString()).isEqualTo(TALKIFAI);
        var secret = secret(created);
        var standardSecret = secret(endpoint(setup.api(), Map.of("url", standard.url())));

        var answered = answeredCall(setup, uniqueNumber());
        var answeredId = answered.get("id").asString();
        LIVEKIT.hangUpByCallee(answered.get("room_name").asString());
        deliverWebhooks();
        var ended = receiver.await(2);
        var busyNumber = uniqueNumber();
        LIVEKIT.onDial(busyNumber, DialScript.sipFailure(486, "Busy Here"));
        var busy = place(setup, busyNumber, "wait_until_answered", true).json();
        var busyId = busy.get("call_id").asString();

        var messages = receiver.await(3);
        assertThat(messages.subList(0, 2)).isEqualTo(ended);
        assertThat(messages)
                .extracting(WebhookReceiver.Received::type)
                .containsExactly("call.started", "call.ended", "call.failed");
        for (var message : messages) {
            assertThat(message.method()).isEqualTo("POST");
            assertThat(message.header("Content-Type")).isEqualTo("application/json");
            assertThat(message.talkifaiSignedBy(secret))
                    .as("verifies as the README's snippet does")
                    .isTrue();
            assertThat(message.header("X-TalkifAI-Signature")).matches("sha256=[0-9a-f]{64}");
            assertThat(message.header("webhook-id")).isNull();
            assertThat(message.header("webhook-signature")).isNull();
            assertThat(message.header("webhook-timestamp")).isNull();
            assertThat(message.header("X-Dialplane-Previous-Signature")).isNull();
            var json = message.json();
            assertThat(json.propertyNames()).containsExactly("id", "type", "created", "data");
            assertThat(json.get("id").asString()).matches("evt_[0-9a-f]{32}");
            assertThat(json.get("created").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        }
        assertThat(messages.getFirst().talkifaiSignedBy(standardSecret)).isFalse();

        var events = setup.api().get("/calls/" + answeredId + "/events").json().get("data");
        var started = messages.get(0).json();
        assertThat(started.get("data").propertyNames()).containsExactly("callId", "agentId", "direction", "from", "to");
        assertThat(started.get("data").get("callId").asString()).isEqualTo(answeredId);
        assertThat(started.get("data").get("agentId").asString())
                .isEqualTo(setup.agentId().toString());
        assertThat(started.get("data").get("direction").asString()).isEqualTo("outbound");
        assertThat(started.get("data").get("from").asString())
                .isEqualTo(answered.get("from_number").asString());
        assertThat(started.get("data").get("to").asString())
                .isEqualTo(answered.get("to_number").asString());
        assertThat(Instant.parse(started.get("created").asString()))
                .isEqualTo(occurredAt(events, "in_progress").truncatedTo(ChronoUnit.SECONDS));

        var finished = setup.api().get("/calls/" + answeredId).json();
        var end = messages.get(1).json().get("data");
        assertThat(end.propertyNames())
                .containsExactly("callId", "agentId", "duration", "status", "endReason", "recordingUrl");
        assertThat(end.get("callId").asString()).isEqualTo(answeredId);
        assertThat(end.get("duration").asLong())
                .isEqualTo(finished.get("duration_seconds").asLong());
        assertThat(end.get("status").asString()).isEqualTo("completed");
        assertThat(end.get("endReason").asString()).as("TalkifAI's name").isEqualTo("user_hangup");
        assertThat(end.get("recordingUrl").isNull()).isTrue();

        var failed = messages.get(2).json().get("data");
        assertThat(failed.propertyNames())
                .containsExactly(
                        "callId",
                        "agentId",
                        "direction",
                        "from",
                        "to",
                        "duration",
                        "status",
                        "endReason",
                        "sipStatusCode",
                        "errorMessage");
        assertThat(failed.get("callId").asString()).isEqualTo(busyId);
        assertThat(failed.get("status").asString()).isEqualTo("busy");
        assertThat(failed.get("endReason").asString()).isEqualTo("busy");
        assertThat(failed.get("sipStatusCode").asInt()).isEqualTo(486);
        assertThat(failed.get("duration").asInt()).isZero();

        // the delivery log: TalkifAI's event names, webhook_id the envelope's id, the body as sent
        var endpointId = created.get("id").asString();
        var log = deliveries(setup.api(), endpointId);
        assertThat(log)
                .extracting(d -> d.get("event_type").asString())
                .containsExactlyInAnyOrder("call.started", "call.ended", "call.failed");
        for (var entry : log) {
            var detail = awaitDelivery(setup.api(), endpointId, entry.get("id").asString(), status("delivered"));
            var sent = messages.stream()
                    .filter(m -> m.json()
                            .get("id")
                            .asString()
                            .equals(detail.get("webhook_id").asString()))
                    .findFirst()
                    .orElseThrow();
            assertThat(detail.get("payload")).isEqualTo(sent.json());
        }

        // the standard endpoint beside it is unchanged: every status, Standard Webhooks signed
        var standardMessages = standard.await(
                2, m -> m.type().equals("call.completed") || m.type().equals("call.failed"));
        standardMessages.forEach(m -> {
            m.assertWellFormed();
            m.verifyWith(standardSecret);
            assertThat(m.header("X-TalkifAI-Signature")).isNull();
            assertThat(m.json().propertyNames()).containsExactly("type", "timestamp", "data");
        });
    }

    @Test
    void aFailingTalkifaiEndpointIsRetriedAfter30Seconds5MinutesAnd30MinutesThenFails() {
        var org = newOrganization();
        var receiver = receiver();
        receiver.respondWith(500);
        var created = endpoint(org.api(), Map.of("url", receiver.url(), "format", TALKIFAI));
        var endpointId = created.get("id").asString();

        creditLow(org.id(), clock.instant());
        var deliveryId = onlyDelivery(org.api(), endpointId).get("id").asString();
        var delivery = awaitDelivery(org.api(), endpointId, deliveryId, attempts(1));
        var delays = List.of(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(30));
        for (var delay : delays) {
            assertThat(delivery.get("status").asString()).isEqualTo("pending");
            var attempts = delivery.get("attempts").asInt();
            var lastAttempt = instant(delivery.get("attempt_history").get(attempts - 1), "attempted_at");
            assertThat(instant(delivery, "next_attempt_at")).isEqualTo(lastAttempt.plus(delay));
            clock.advance(delay);
            worker.wakeUp();
            delivery = awaitDelivery(org.api(), endpointId, deliveryId, attempts(attempts + 1));
        }

        assertThat(delivery.get("status").asString()).isEqualTo("failed");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.get("next_attempt_at").isNull()).isTrue();
        var history = delivery.get("attempt_history");
        for (int i = 0; i < 3; i++) {
            assertThat(Duration.between(
                            instant(history.get(i), "attempted_at"), instant(history.get(i + 1), "attempted_at")))
                    .isGreaterThanOrEqualTo(delays.get(i));
        }
        var requests = receiver.received();
        assertThat(requests).hasSize(4);
        assertThat(requests)
                .extracting(WebhookReceiver.Received::body)
                .containsOnly(requests.getFirst().body());
        assertThat(requests.getFirst().json().get("id").asString())
                .isEqualTo(delivery.get("webhook_id").asString());
        assertThat(requests)
                .allSatisfy(r -> assertThat(r.talkifaiSignedBy(secret(created))).isTrue());
        var data = requests.getFirst().json().get("data");
        assertThat(data.propertyNames()).containsExactly("organizationId", "balance", "threshold");
        assertThat(data.get("organizationId").asString()).isEqualTo(org.id().toString());

        // redelivery goes through the same log: the same body, the schedule starting over
        receiver.respondWith(200);
        var redelivered =
                org.api().post("/webhook-endpoints/" + endpointId + "/deliveries/" + deliveryId + "/redeliver");
        assertThat(redelivered.status()).as(redelivered.text()).isEqualTo(202);
        var delivered = awaitDelivery(org.api(), endpointId, deliveryId, status("delivered"));
        assertThat(delivered.get("attempts").asInt()).isEqualTo(5);
        assertThat(receiver.await(5).getLast().body())
                .isEqualTo(requests.getFirst().body());
    }

    @Test
    void aTalkifaiEndpointFiltersByTalkifaisEventNames() {
        var setup = newSetup();
        var receiver = receiver();
        var endpointId = endpoint(
                        setup.api(),
                        Map.of("url", receiver.url(), "format", TALKIFAI, "event_types", List.of("call.failed")))
                .get("id")
                .asString();

        var answered = answeredCall(setup, uniqueNumber());
        LIVEKIT.hangUpByCallee(answered.get("room_name").asString());
        deliverWebhooks();
        awaitCall(setup.api(), answered.get("id").asString(), "completed");
        var busyNumber = uniqueNumber();
        LIVEKIT.onDial(busyNumber, DialScript.sipFailure(486, "Busy Here"));
        var busyId = place(setup, busyNumber, "wait_until_answered", true)
                .json()
                .get("call_id")
                .asString();

        var messages = receiver.await(1);
        assertThat(messages).hasSize(1);
        assertThat(messages.getFirst().type()).isEqualTo("call.failed");
        assertThat(messages.getFirst().json().get("data").get("callId").asString())
                .isEqualTo(busyId);
        assertThat(deliveries(setup.api(), endpointId)).hasSize(1);
    }

    @Test
    void formatAndItsEventNamesAreValidated() {
        var org = newOrganization();
        var api = org.api();
        var url = "https://hooks.example.com/talkifai";

        var unknown = api.post("/webhook-endpoints", Map.of("url", url, "format", "xml"));
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(422);
        assertThat(fields(unknown.json())).containsExactly("format");
        assertThat(message(unknown.json(), "format")).contains("standard", "talkifai");

        var notANumber = api.post("/webhook-endpoints", Map.of("url", url, "format", 1));
        assertThat(notANumber.status()).isEqualTo(422);
        assertThat(fields(notANumber.json())).containsExactly("format");

        var standardName = api.post(
                "/webhook-endpoints",
                Map.of("url", url, "format", TALKIFAI, "event_types", List.of("call.started", "call.completed")));
        assertThat(standardName.status()).as(standardName.text()).isEqualTo(422);
        assertThat(fields(standardName.json())).containsExactly("event_types");
        assertThat(message(standardName.json(), "event_types"))
                .contains("has no event call.completed", "call.started", "credit.depleted");

        var talkifaiName =
                api.post("/webhook-endpoints", Map.of("url", url, "event_types", List.of("credit.depleted")));
        assertThat(talkifaiName.status()).isEqualTo(422);
        assertThat(fields(talkifaiName.json())).containsExactly("event_types");

        // a standard endpoint turned talkifai must change its event names too
        var created = endpoint(api, Map.of("url", url, "event_types", List.of("call.completed")));
        var path = "/webhook-endpoints/" + created.get("id").asString();
        var formatOnly = api.patch(path, Map.of("format", TALKIFAI));
        assertThat(formatOnly.status()).isEqualTo(422);
        assertThat(fields(formatOnly.json())).containsExactly("event_types");
        var both = api.patch(path, Map.of("format", TALKIFAI, "event_types", List.of("call.ended", "credit.depleted")));
        assertThat(both.status()).as(both.text()).isEqualTo(200);
        assertThat(both.json().get("format").asString()).isEqualTo(TALKIFAI);
        assertThat(api.get(path).json().get("event_types"))
                .extracting(JsonNode::asString)
                .containsExactly("call.ended", "credit.depleted");
        var back = api.patch(path, body("format", null, "event_types", null));
        assertThat(back.status()).as(back.text()).isEqualTo(200);
        assertThat(back.json().get("format").asString()).as("null: the default").isEqualTo("standard");
    }

    @Test
    void creditLowAndCreditDepletedReachATalkifaiEndpoint() {
        // 12 credits, threshold 10, 6.00 per minute: each 30 s call costs 3
        var setup = newSetup(12);
        admin().patch("/admin/organizations/" + setup.org().id(), Map.of("rate_per_minute", new BigDecimal("6.00")));
        var receiver = receiver();
        var standard = receiver();
        var secret = secret(endpoint(
                setup.api(),
                Map.of(
                        "url",
                        receiver.url(),
                        "format",
                        TALKIFAI,
                        "event_types",
                        List.of("credit.low", "credit.depleted"))));
        var standardId =
                endpoint(setup.api(), Map.of("url", standard.url())).get("id").asString();

        endCallAfter(setup, 30); // 12 → 9: below the threshold
        endCallAfter(setup, 30); // 9 → 6: still one minute's price
        endCallAfter(setup, 30); // 6 → 3: less than one minute's price

        var messages = receiver.await(2);
        assertThat(messages)
                .extracting(WebhookReceiver.Received::type)
                .containsExactly("credit.low", "credit.depleted");
        messages.forEach(m -> assertThat(m.talkifaiSignedBy(secret)).isTrue());
        var low = messages.get(0).json().get("data");
        assertThat(low.get("organizationId").asString())
                .isEqualTo(setup.org().id().toString());
        assertThat(low.get("balance").decimalValue()).isEqualByComparingTo("9");
        assertThat(low.get("threshold").decimalValue()).isEqualByComparingTo("10");
        var depleted = messages.get(1).json().get("data");
        assertThat(depleted.get("balance").decimalValue()).isEqualByComparingTo("3");
        assertThat(depleted.get("threshold").decimalValue())
                .as("one minute's price")
                .isEqualByComparingTo("6");

        // Standard Webhooks endpoints have no credit.depleted
        standard.await(1, m -> m.type().equals("credit.low"));
        assertThat(deliveries(setup.api(), standardId))
                .extracting(d -> d.get("event_type").asString())
                .doesNotContain("credit.depleted")
                .containsOnlyOnce("credit.low");
    }

    @Test
    void duringARotationsOverlapTheReplacedSecretSignsASecondHeader() {
        var org = newOrganization();
        var receiver = receiver();
        var created = endpoint(org.api(), Map.of("url", receiver.url(), "format", TALKIFAI));
        var old = secret(created);
        var rotated = org.api()
                .post("/webhook-endpoints/" + created.get("id").asString() + "/rotate-secret", Map.of())
                .json();
        var current = secret(rotated);

        creditLow(org.id(), clock.instant());
        var message = receiver.await(1).getFirst();

        assertThat(message.talkifaiSignedBy(current)).isTrue();
        assertThat(message.talkifaiSignedBy(old)).isFalse();
        assertThat(message.talkifaiSignedBy(old, "X-Dialplane-Previous-Signature"))
                .isTrue();
    }

    private void endCallAfter(Setup setup, int seconds) {
        var call = answeredCall(setup, uniqueNumber(), "max_call_duration_seconds", 60);
        jdbc.sql("update calls set answered_at = :at where id = :id")
                .param("at", java.time.OffsetDateTime.now().minusSeconds(seconds))
                .param("id", UUID.fromString(call.get("id").asString()))
                .update();
        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        deliverWebhooks();
        awaitCall(setup.api(), call.get("id").asString(), "completed");
    }

    private static Instant occurredAt(JsonNode events, String status) {
        return events.valueStream()
                .filter(e -> status.equals(e.get("status").asString()))
                .map(e -> Instant.parse(e.get("occurred_at").asString()))
                .findFirst()
                .orElseThrow();
    }
}
