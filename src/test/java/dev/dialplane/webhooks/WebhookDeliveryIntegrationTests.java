package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.support.Api;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Events reaching client endpoints: signed, in order, filtered, retried on the documented schedule,
 * logged, redelivered, and never lost or doubled by a worker that dies or a second worker.
 */
class WebhookDeliveryIntegrationTests extends WebhookIntegrationTest {

    private static final String BUSY = "+12025550101";

    @Autowired
    WebhookWorker worker;

    @Autowired
    DeliveryClaims claims;

    @Autowired
    WebhookSender sender;

    @Autowired
    EndpointSecrets secrets;

    @Autowired
    WebhookMetrics metrics;

    @Autowired
    WebhooksProperties properties;

    @Autowired
    MeterRegistry registry;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aCallsEventsArriveSignedInSequenceWithExactlyOneTerminalEvent() {
        var setup = newSetup();
        var receiver = receiver();
        var created = endpoint(setup.api(), Map.of("url", receiver.url()));
        var secret = secret(created);
        LIVEKIT.onDial(BUSY, DialScript.sipFailure(486, "Busy Here"));

        var call = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", BUSY, "wait_until_answered", true))
                .json();

        assertThat(call.get("status").asString()).isEqualTo("busy");
        var callId = call.get("call_id").asString();
        var history = setup.api().get("/calls/" + callId + "/events").json().get("data");
        var messages = receiver.await(history.size());
        assertThat(messages).hasSize(history.size());
        for (int i = 0; i < messages.size(); i++) {
            var message = messages.get(i);
            message.assertWellFormed();
            message.verifyWith(secret);
            var json = message.json();
            assertThat(json.propertyNames()).containsExactly("type", "timestamp", "data");
            assertThat(json.get("data").get("sequence").asInt())
                    .as("arrival order is sequence order")
                    .isEqualTo(i + 1);
            var event = history.get(i);
            assertThat(json.get("data").get("call").get("status").asString())
                    .isEqualTo(event.get("status").asString());
            assertThat(json.get("data").get("call").get("id").asString()).isEqualTo(callId);
            assertThat(Instant.parse(json.get("timestamp").asString()))
                    .isEqualTo(Instant.parse(event.get("occurred_at").asString()));
        }
        assertThat(messages.getFirst().signedBy(secret))
                .as("verifies by hand as the README shows")
                .isTrue();
        assertThat(messages).extracting(WebhookReceiver.Received::webhookId).doesNotHaveDuplicates();
        var types = messages.stream().map(WebhookReceiver.Received::type).toList();
        assertThat(types.getFirst()).isEqualTo("call.queued");
        assertThat(types.get(1)).isEqualTo("call.dialing");
        assertThat(types.stream().filter(t -> t.equals("call.completed") || t.equals("call.failed")))
                .containsExactly("call.failed");
        assertThat(types.getLast()).isEqualTo("call.failed");
        // the terminal event carries the call exactly as GET /calls/{id} shows it
        assertThat(messages.getLast().json().get("data").get("call"))
                .isEqualTo(setup.api().get("/calls/" + callId).json());
        assertThat(messages.getLast()
                        .json()
                        .get("data")
                        .get("call")
                        .get("end_reason")
                        .asString())
                .isEqualTo("busy");

        var endpointId = created.get("id").asString();
        var log = deliveries(setup.api(), endpointId);
        assertThat(log).hasSize(messages.size());
        assertThat(log.getFirst().propertyNames())
                .containsExactly(
                        "id",
                        "endpoint_id",
                        "webhook_id",
                        "event_type",
                        "call_id",
                        "sequence",
                        "status",
                        "attempts",
                        "next_attempt_at",
                        "last_status_code",
                        "last_error",
                        "created_at",
                        "delivered_at");
        var logged =
                awaitDelivery(setup.api(), endpointId, log.getFirst().get("id").asString(), status("delivered"));
        assertThat(logged.get("event_type").asString()).as("newest first").isEqualTo("call.failed");
        assertThat(logged.get("call_id").asString()).isEqualTo(callId);
        assertThat(logged.get("webhook_id").asString())
                .isEqualTo(messages.getLast().webhookId());
        assertThat(logged.get("attempts").asInt()).isEqualTo(1);
        assertThat(logged.get("last_status_code").asInt()).isEqualTo(204);
        assertThat(logged.get("next_attempt_at").isNull()).isTrue();
        assertThat(logged.get("payload")).isEqualTo(messages.getLast().json());
        assertThat(logged.get("attempt_history").get(0).propertyNames())
                .containsExactly("number", "attempted_at", "status_code", "error", "duration_ms");
    }

    @Test
    void endpointsGetOnlyTheEventsTheySubscribeToAndNothingWhenDisabled() {
        var setup = newSetup();
        var terminal = receiver();
        var early = receiver();
        var disabled = receiver();
        endpoint(setup.api(), Map.of("url", terminal.url(), "event_types", List.of("call.completed", "call.failed")));
        endpoint(setup.api(), Map.of("url", early.url(), "event_types", List.of("call.queued", "call.dialing")));
        var off = endpoint(setup.api(), Map.of("url", disabled.url(), "enabled", false))
                .get("id")
                .asString();
        var paused =
                endpoint(setup.api(), Map.of("url", disabled.url())).get("id").asString();
        setup.api().patch("/webhook-endpoints/" + paused, Map.of("enabled", false));
        var stranger = newOrganization();
        var strangers = receiver();
        var strangerEndpoint = endpoint(stranger.api(), Map.of("url", strangers.url()))
                .get("id")
                .asString();
        LIVEKIT.onDial(BUSY, DialScript.sipFailure(486, "Busy Here"));

        setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", BUSY, "wait_until_answered", true));

        assertThat(terminal.await(1)).extracting(WebhookReceiver.Received::type).containsExactly("call.failed");
        assertThat(early.await(2))
                .extracting(WebhookReceiver.Received::type)
                .containsExactly("call.queued", "call.dialing");
        // deliveries are written in the transaction of the event: none exist, so none will ever be sent
        assertThat(deliveries(setup.api(), off)).isEmpty();
        assertThat(deliveries(setup.api(), paused)).isEmpty();
        assertThat(deliveries(stranger.api(), strangerEndpoint)).isEmpty();
        assertThat(disabled.received()).isEmpty();
        assertThat(strangers.received()).isEmpty();
        assertThat(terminal.received()).hasSize(1);
        assertThat(early.received()).hasSize(2);
    }

    @Test
    void creditLowCarriesTheBalanceAndThreshold() {
        var org = newOrganization();
        var receiver = receiver();
        var secret = secret(endpoint(org.api(), Map.of("url", receiver.url(), "event_types", List.of("credit.low"))));
        var at = clock.instant();

        creditLow(org.id(), at);

        var message = receiver.await(1).getFirst();
        message.verifyWith(secret);
        var json = message.json();
        assertThat(json.get("type").asString()).isEqualTo("credit.low");
        assertThat(Instant.parse(json.get("timestamp").asString())).isEqualTo(at);
        assertThat(json.get("data").propertyNames())
                .containsExactlyInAnyOrder("organization_id", "balance", "threshold");
        assertThat(json.get("data").get("organization_id").asString())
                .isEqualTo(org.id().toString());
        assertThat(json.get("data").get("balance").decimalValue()).isEqualByComparingTo("4.25");
        assertThat(json.get("data").get("threshold").decimalValue()).isEqualByComparingTo("10");
    }

    @Test
    void duringARotationsOverlapMessagesCarryBothSignaturesAfterItOnlyTheNewOne() {
        var org = newOrganization();
        var receiver = receiver();
        var created = endpoint(org.api(), Map.of("url", receiver.url()));
        var path = "/webhook-endpoints/" + created.get("id").asString();
        var first = secret(created);

        var second = secret(org.api()
                .post(path + "/rotate-secret", Map.of("overlap_seconds", 0))
                .json());
        creditLow(org.id(), clock.instant());
        var withoutOverlap = receiver.await(1).getLast();
        assertThat(withoutOverlap.signatures()).hasSize(1);
        withoutOverlap.verifyWith(second);
        assertThatThrownBy(() -> withoutOverlap.verifyWith(first)).isInstanceOf(AssertionError.class);

        var third = secret(org.api()
                .post(path + "/rotate-secret", Map.of("overlap_seconds", 3600))
                .json());
        creditLow(org.id(), clock.instant());
        var duringOverlap = receiver.await(2).getLast();
        assertThat(duringOverlap.signatures())
                .hasSize(2)
                .allSatisfy(s -> assertThat(s).startsWith("v1,"));
        duringOverlap.verifyWith(third);
        duringOverlap.verifyWith(second);
        assertThatThrownBy(() -> duringOverlap.verifyWith(first)).isInstanceOf(AssertionError.class);

        clock.advance(Duration.ofSeconds(3601));
        creditLow(org.id(), clock.instant());
        var afterOverlap = receiver.await(3).getLast();
        assertThat(afterOverlap.signatures()).hasSize(1);
        // the library also checks the timestamp against the real clock, which this test moved past; by hand:
        assertThat(afterOverlap.signedBy(third)).isTrue();
        assertThat(afterOverlap.signedBy(second)).isFalse();
    }

    @Test
    void aFailingEndpointIsRetriedOnTheScheduleAndRecovers() {
        var org = newOrganization();
        var receiver = receiver();
        receiver.respondWith(500);
        var created = endpoint(org.api(), Map.of("url", receiver.url()));
        var endpointId = created.get("id").asString();
        var failedBefore = attemptCounter("failed");
        var deliveredBefore = attemptCounter("delivered");

        creditLow(org.id(), clock.instant());
        var deliveryId = onlyDelivery(org.api(), endpointId).get("id").asString();

        var delivery = awaitDelivery(org.api(), endpointId, deliveryId, attempts(1));
        assertThat(delivery.get("status").asString()).isEqualTo("pending");
        assertThat(delivery.get("last_status_code").asInt()).isEqualTo(500);
        assertThat(delivery.get("last_error").asString()).isEqualTo("endpoint answered HTTP 500");
        for (var delay : List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2))) {
            var attempts = delivery.get("attempts").asInt();
            var lastAttempt = instant(delivery.get("attempt_history").get(attempts - 1), "attempted_at");
            assertThat(instant(delivery, "next_attempt_at")).isEqualTo(lastAttempt.plus(delay));
            if (attempts == 3) {
                receiver.respondWith(200);
            }
            clock.advance(delay);
            worker.wakeUp();
            delivery = awaitDelivery(org.api(), endpointId, deliveryId, attempts(attempts + 1));
        }

        assertThat(delivery.get("status").asString()).isEqualTo("delivered");
        assertThat(delivery.get("last_status_code").asInt()).isEqualTo(200);
        assertThat(delivery.get("last_error").isNull()).isTrue();
        var history = delivery.get("attempt_history");
        assertThat(history).extracting(a -> a.get("number").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(history).extracting(a -> a.get("status_code").asInt()).containsExactly(500, 500, 500, 200);
        assertThat(history).extracting(a -> a.get("error").isNull()).containsExactly(false, false, false, true);
        assertThat(history)
                .allSatisfy(a -> assertThat(a.get("duration_ms").asLong()).isNotNegative());
        assertThat(instant(delivery, "delivered_at")).isEqualTo(instant(history.get(3), "attempted_at"));
        var delays = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2));
        for (int i = 0; i < 3; i++) {
            assertThat(Duration.between(
                            instant(history.get(i), "attempted_at"), instant(history.get(i + 1), "attempted_at")))
                    .as("attempt %d came no earlier than the schedule allows", i + 2)
                    .isGreaterThanOrEqualTo(delays.get(i));
        }

        var requests = receiver.received();
        assertThat(requests).hasSize(4);
        assertThat(requests)
                .extracting(WebhookReceiver.Received::webhookId)
                .containsOnly(delivery.get("webhook_id").asString());
        assertThat(requests)
                .extracting(WebhookReceiver.Received::body)
                .containsOnly(requests.getFirst().body());
        assertThat(requests)
                .allSatisfy(r -> assertThat(r.signedBy(secret(created))).isTrue());
        assertThat(requests).extracting(WebhookReceiver.Received::timestamp).isSorted();
        assertThat(attemptCounter("failed") - failedBefore).isEqualTo(3);
        assertThat(attemptCounter("delivered") - deliveredBefore).isGreaterThanOrEqualTo(1);
    }

    @Test
    void whenTheScheduleRunsOutTheDeliveryFailsAndRedeliverSendsTheSameMessageAgain() {
        var org = newOrganization();
        var receiver = receiver();
        receiver.respondWith(503);
        var endpointId =
                endpoint(org.api(), Map.of("url", receiver.url())).get("id").asString();
        creditLow(org.id(), clock.instant());
        var deliveryId = onlyDelivery(org.api(), endpointId).get("id").asString();

        for (int attempt = 1; attempt < RetrySchedule.MAX_ATTEMPTS; attempt++) {
            awaitDelivery(org.api(), endpointId, deliveryId, attempts(attempt));
            clock.advance(RetrySchedule.DELAYS.get(attempt - 1));
            worker.wakeUp();
        }
        var failed = awaitDelivery(org.api(), endpointId, deliveryId, status("failed"));
        assertThat(failed.get("attempts").asInt()).isEqualTo(10);
        assertThat(failed.get("next_attempt_at").isNull()).isTrue();
        assertThat(failed.get("last_status_code").asInt()).isEqualTo(503);
        assertThat(receiver.received()).hasSize(10);

        receiver.respondWith(204);
        var redelivered =
                org.api().post("/webhook-endpoints/" + endpointId + "/deliveries/" + deliveryId + "/redeliver");

        assertThat(redelivered.status()).as(redelivered.text()).isEqualTo(202);
        assertThat(redelivered.json().get("status").asString()).isEqualTo("pending");
        var delivered = awaitDelivery(org.api(), endpointId, deliveryId, status("delivered"));
        assertThat(delivered.get("attempts").asInt()).isEqualTo(11);
        var requests = receiver.await(11);
        assertThat(requests.getLast().webhookId())
                .isEqualTo(requests.getFirst().webhookId())
                .isEqualTo(delivered.get("webhook_id").asString());
        assertThat(requests.getLast().body()).isEqualTo(requests.getFirst().body());
    }

    @Test
    void redeliveringADeliveredMessageSendsItAgainWithTheSameWebhookId() {
        var org = newOrganization();
        var receiver = receiver();
        var secret = secret(endpoint(org.api(), Map.of("url", receiver.url())));
        var endpointId = deliveriesEndpoint(org.api());
        creditLow(org.id(), clock.instant());
        var deliveryId = onlyDelivery(org.api(), endpointId).get("id").asString();
        awaitDelivery(org.api(), endpointId, deliveryId, status("delivered"));

        var response = org.api().post("/webhook-endpoints/" + endpointId + "/deliveries/" + deliveryId + "/redeliver");

        assertThat(response.status()).isEqualTo(202);
        var both = receiver.await(2);
        assertThat(both.get(1).webhookId()).isEqualTo(both.get(0).webhookId());
        assertThat(both.get(1).body()).isEqualTo(both.get(0).body());
        both.get(1).verifyWith(secret);
        var delivered = awaitDelivery(org.api(), endpointId, deliveryId, attempts(2));
        assertThat(delivered.get("attempt_history")).hasSize(2);

        org.api().patch("/webhook-endpoints/" + endpointId, Map.of("enabled", false));
        var refused = org.api().post("/webhook-endpoints/" + endpointId + "/deliveries/" + deliveryId + "/redeliver");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("WEBHOOK_ENDPOINT_DISABLED");
    }

    /**
     * A process dies after claiming a delivery mid-retry (its lease committed, the request never
     * finished). Another worker on the same database leaves it alone while the lease lives, then
     * delivers it exactly once.
     */
    @Test
    void aDeliveryLeftInFlightByADeadWorkerIsDeliveredOnceItsLeaseRunsOut() {
        var org = newOrganization();
        var receiver = receiver();
        receiver.respondWith(500);
        var endpointId =
                endpoint(org.api(), Map.of("url", receiver.url())).get("id").asString();
        creditLow(org.id(), clock.instant());
        var deliveryId = onlyDelivery(org.api(), endpointId).get("id").asString();
        awaitDelivery(org.api(), endpointId, deliveryId, attempts(1));
        var survivor = newWorker();
        worker.stop();
        try {
            assertThat(registry.get("dialplane.webhooks.backlog").gauge().value())
                    .isGreaterThanOrEqualTo(1);
            receiver.respondWith(204);
            clock.advance(Duration.ofSeconds(5));
            var dead = claims.claim(clock.instant(), properties.lease(), 10_000, Set.of(), id -> Integer.MAX_VALUE);
            var deadLease = dead.stream()
                    .filter(d -> d.id().toString().equals(deliveryId))
                    .findFirst()
                    .orElseThrow()
                    .leaseToken();

            survivor.start();
            survivor.drain();
            assertThat(leaseToken(deliveryId)).as("a live lease is respected").isEqualTo(deadLease);

            clock.advance(properties.lease());
            survivor.wakeUp();
            var delivered = awaitDelivery(org.api(), endpointId, deliveryId, status("delivered"));

            assertThat(delivered.get("attempts").asInt()).isEqualTo(2);
            assertThat(receiver.received()).hasSize(2);
            assertThat(receiver.received())
                    .extracting(WebhookReceiver.Received::webhookId)
                    .containsOnly(delivered.get("webhook_id").asString());
        } finally {
            survivor.stop();
            worker.start();
        }
    }

    @Test
    void twoWorkersOnOneDatabaseDeliverEveryMessageExactlyOnce() {
        var org = newOrganization();
        var receivers = List.of(receiver(), receiver(), receiver());
        receivers.forEach(r -> endpoint(org.api(), Map.of("url", r.url())));
        var a = newWorker();
        var b = newWorker();
        worker.stop();
        try {
            a.start();
            b.start();
            var base = clock.instant();
            for (int i = 0; i < 15; i++) {
                creditLow(org.id(), base.plusMillis(i));
                a.wakeUp();
                b.wakeUp();
            }

            var ids = new ArrayList<String>();
            for (var receiver : receivers) {
                receiver.await(15).forEach(r -> ids.add(r.webhookId()));
            }
            assertThat(ids).hasSize(45).doesNotHaveDuplicates();
            for (var receiver : receivers) {
                assertThat(receiver.received()).hasSize(15);
                assertThat(new HashSet<>(receiver.received().stream()
                                .map(WebhookReceiver.Received::body)
                                .toList()))
                        .hasSize(15);
            }
        } finally {
            a.stop();
            b.stop();
            worker.start();
        }
    }

    @Test
    void aSlowEndpointHoldsOnlyItsOwnSlotsAndDoesNotHoldUpAnother() {
        var org = newOrganization();
        var slow = receiver();
        slow.hold();
        var fast = receiver();
        var slowId = endpoint(org.api(), Map.of("url", slow.url())).get("id").asString();
        endpoint(org.api(), Map.of("url", fast.url()));
        var base = clock.instant();

        for (int i = 0; i < 8; i++) {
            creditLow(org.id(), base.plusMillis(i));
        }

        assertThat(fast.await(8)).hasSize(8);
        assertThat(slow.await(properties.maxInFlightPerEndpoint())).hasSize(properties.maxInFlightPerEndpoint());
        assertThat(deliveries(org.api(), slowId))
                .hasSize(8)
                .filteredOn(status("pending"))
                .hasSize(8);
        slow.release();
        assertThat(slow.await(8)).hasSize(8);
    }

    private WebhookWorker newWorker() {
        return new WebhookWorker(claims, sender, secrets, metrics, properties, clock);
    }

    private double attemptCounter(String result) {
        return registry.get("dialplane.webhooks.attempts")
                .tag("result", result)
                .counter()
                .count();
    }

    private UUID leaseToken(String deliveryId) {
        return jdbc.sql("select lease_token from webhook_deliveries where id = :id")
                .param("id", UUID.fromString(deliveryId))
                .query(UUID.class)
                .single();
    }

    private static String deliveriesEndpoint(Api api) {
        return api.get("/webhook-endpoints").json().get("data").get(0).get("id").asString();
    }
}
