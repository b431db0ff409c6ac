package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.orgs.CreditLow;
import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Helpers for the webhook tests; the same Spring context as every other integration test. */
abstract class WebhookIntegrationTest extends LiveKitIntegrationTest {

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transactions;

    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @AfterEach
    void closeReceivers() {
        receivers.forEach(WebhookReceiver::close);
    }

    WebhookReceiver receiver() {
        var receiver = WebhookReceiver.start("http://127.0.0.1:" + port);
        receivers.add(receiver);
        return receiver;
    }

    /** Creates an endpoint and returns the creation response (the only one with the secret). */
    static JsonNode endpoint(Api api, Object body) {
        return create(api, "/webhook-endpoints", body);
    }

    static String secret(JsonNode created) {
        return created.get("secret").asString();
    }

    /**
     * Publishes {@code credit.low} as the billing code does: inside the transaction that charged
     * the organization. {@code at} keeps events of one test apart.
     */
    void creditLow(UUID organizationId, Instant at) {
        transactions.executeWithoutResult(status -> events.publishEvent(
                new CreditLow(organizationId, new BigDecimal("4.2500"), new BigDecimal("10.0000"), at)));
    }

    static List<JsonNode> deliveries(Api api, String endpointId) {
        var response = api.get("/webhook-endpoints/" + endpointId + "/deliveries?limit=200");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var list = new ArrayList<JsonNode>();
        response.json().get("data").forEach(list::add);
        return list;
    }

    static JsonNode delivery(Api api, String endpointId, String deliveryId) {
        var response = api.get("/webhook-endpoints/" + endpointId + "/deliveries/" + deliveryId);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Waits until the delivery satisfies {@code condition} (a condition wait, never a fixed sleep). */
    static JsonNode awaitDelivery(Api api, String endpointId, String deliveryId, Predicate<JsonNode> condition) {
        var holder = new JsonNode[1];
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            holder[0] = delivery(api, endpointId, deliveryId);
            return condition.test(holder[0]);
        });
        return holder[0];
    }

    /** The only delivery of an endpoint, once it exists. */
    static JsonNode onlyDelivery(Api api, String endpointId) {
        var all = deliveries(api, endpointId);
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    static Predicate<JsonNode> attempts(int count) {
        return d -> d.get("attempts").asInt() == count;
    }

    static Predicate<JsonNode> status(String status) {
        return d -> status.equals(d.get("status").asString());
    }

    static Instant instant(JsonNode node, String field) {
        return Instant.parse(node.get(field).asString());
    }
}
