package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/** {@code /webhook-endpoints}: management, validation, the secret shown once, rotation and isolation. */
@ExtendWith(OutputCaptureExtension.class)
class WebhookEndpointsIntegrationTests extends WebhookIntegrationTest {

    private static final String URL = "https://hooks.example.com/dialplane";

    @Test
    void createdEndpointHasDefaultsAndItsSecretOnlyInTheCreationResponse(CapturedOutput output) {
        var org = newOrganization();

        var created = endpoint(org.api(), Map.of("url", URL));

        assertThat(created.propertyNames())
                .containsExactly(
                        "id",
                        "url",
                        "format",
                        "event_types",
                        "enabled",
                        "description",
                        "previous_secret_expires_at",
                        "created_at",
                        "updated_at",
                        "secret");
        assertThat(created.get("url").asString()).isEqualTo(URL);
        assertThat(created.get("format").asString()).isEqualTo("standard");
        assertThat(created.get("event_types").isNull())
                .as("null: every event type")
                .isTrue();
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(created.get("description").isNull()).isTrue();
        assertThat(created.get("previous_secret_expires_at").isNull()).isTrue();
        var secret = secret(created);
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length())))
                .hasSize(32);

        var id = created.get("id").asString();
        var afterwards = List.of(
                org.api().get("/webhook-endpoints/" + id),
                org.api().get("/webhook-endpoints"),
                org.api().patch("/webhook-endpoints/" + id, Map.of("description", "Production")),
                org.api().get("/webhook-endpoints/" + id + "/deliveries"));
        for (var response : afterwards) {
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            assertThat(response.text()).doesNotContain(secret, "secret\"");
        }
        assertThat(output.getAll()).doesNotContain(secret);
    }

    @Test
    void patchIsAMergePatchValidatedLikeACreate() {
        var api = newOrganization().api();
        var id = endpoint(
                        api,
                        Map.of(
                                "url",
                                URL,
                                "event_types",
                                List.of("call.failed", "call.completed", "call.failed"),
                                "description",
                                "  Billing system  "))
                .get("id")
                .asString();
        var path = "/webhook-endpoints/" + id;
        var stored = api.get(path).json();
        assertThat(stored.get("event_types"))
                .extracting(JsonNode::asString)
                .as("de-duplicated, in a stable order")
                .containsExactly("call.completed", "call.failed");
        assertThat(stored.get("description").asString()).isEqualTo("Billing system");

        var disabled = api.patch(path, Map.of("enabled", false));
        assertThat(disabled.status()).as(disabled.text()).isEqualTo(200);
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(disabled.json().get("url").asString()).isEqualTo(URL);
        assertThat(disabled.json().get("event_types")).hasSize(2);

        var everything = api.patch(path, body("event_types", null, "description", null));
        assertThat(everything.json().get("event_types").isNull()).isTrue();
        assertThat(everything.json().get("description").isNull()).isTrue();
        assertThat(everything.json().get("enabled").asBoolean()).isFalse();

        var invalid = api.patch(
                path,
                Map.of("url", "ftp://files.example.com/in", "event_types", List.of("call.answered", "call.hungup")));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(fields(invalid.json())).contains("event_types[1]");
        assertThat(message(invalid.json(), "event_types[1]")).contains("call.hungup", "call.completed");
        var badUrl = api.patch(path, Map.of("url", "ftp://files.example.com/in"));
        assertThat(fields(badUrl.json())).containsExactly("url");
        assertThat(api.get(path).json().get("url").asString())
                .as("nothing changed")
                .isEqualTo(URL);
    }

    @Test
    void invalidEndpointsAre422WithTheField() {
        var api = newOrganization().api();
        var longUrl = "https://hooks.example.com/" + "a".repeat(2048);
        var cases = Map.of(
                "not a url",
                "url",
                "/relative/path",
                "url",
                "ftp://files.example.com/in",
                "url",
                "https://user:password@hooks.example.com/in",
                "url",
                "https://hooks.example.com/in#section",
                "url",
                "mailto:ops@example.com",
                "url",
                longUrl,
                "url");
        cases.forEach((url, field) -> {
            var response = api.post("/webhook-endpoints", Map.of("url", url));
            assertThat(response.status()).as(url + ": " + response.text()).isEqualTo(422);
            assertThat(response.json().get("code").asString()).isEqualTo("VALIDATION_FAILED");
            assertThat(fields(response.json())).as(url).containsExactly(field);
        });
        assertThat(message(
                        api.post("/webhook-endpoints", Map.of("url", "https://u:p@hooks.example.com/"))
                                .json(),
                        "url"))
                .contains("user name or password");

        var missing = api.post("/webhook-endpoints", Map.of("enabled", true));
        assertThat(fields(missing.json())).containsExactly("url");

        var unknownType = api.post(
                "/webhook-endpoints", Map.of("url", URL, "event_types", List.of("call.completed", "call.hungup")));
        assertThat(unknownType.status()).isEqualTo(422);
        assertThat(fields(unknownType.json())).containsExactly("event_types[1]");
        assertThat(message(unknownType.json(), "event_types[1]"))
                .contains("'call.hungup'", "call.queued", "credit.low");

        var empty = api.post("/webhook-endpoints", Map.of("url", URL, "event_types", List.of()));
        assertThat(fields(empty.json())).containsExactly("event_types");
        assertThat(message(empty.json(), "event_types")).contains("leave event_types out");

        var longDescription = api.post("/webhook-endpoints", Map.of("url", URL, "description", "d".repeat(501)));
        assertThat(fields(longDescription.json())).containsExactly("description");

        var wrongType = api.post("/webhook-endpoints", Map.of("url", URL, "enabled", "yes please"));
        assertThat(fields(wrongType.json())).containsExactly("enabled");

        assertThat(api.get("/webhook-endpoints").json().get("data")).isEmpty();
    }

    @Test
    void listIsNewestFirstAndCursorPaged() {
        var api = newOrganization().api();
        var ids = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            ids.add(endpoint(api, Map.of("url", URL + "/" + i)).get("id").asString());
        }

        var first = api.get("/webhook-endpoints?limit=2").json();
        assertThat(first.get("data")).extracting(e -> e.get("id").asString()).containsExactly(ids.get(2), ids.get(1));
        assertThat(first.get("has_more").asBoolean()).isTrue();
        var second = api.get("/webhook-endpoints?limit=2&cursor="
                        + first.get("next_cursor").asString())
                .json();
        assertThat(second.get("data")).extracting(e -> e.get("id").asString()).containsExactly(ids.get(0));
        assertThat(second.get("has_more").asBoolean()).isFalse();
        assertThat(second.get("next_cursor").isNull()).isTrue();

        assertThat(api.get("/webhook-endpoints?limit=0").json().get("code").asString())
                .isEqualTo("INVALID_LIMIT");
    }

    @Test
    void deletedEndpointIsGone() {
        var api = newOrganization().api();
        var id = endpoint(api, Map.of("url", URL)).get("id").asString();

        assertThat(api.delete("/webhook-endpoints/" + id).status()).isEqualTo(204);

        var gone = api.get("/webhook-endpoints/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("code").asString()).isEqualTo("WEBHOOK_ENDPOINT_NOT_FOUND");
        assertThat(api.delete("/webhook-endpoints/" + id).status()).isEqualTo(404);
    }

    @Test
    void rotationReturnsANewSecretOnceAndKeepsTheOldOneForTheOverlap() {
        var api = newOrganization().api();
        var created = endpoint(api, Map.of("url", URL));
        var path = "/webhook-endpoints/" + created.get("id").asString();

        var rotated = api.post(path + "/rotate-secret");
        assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
        var byDefault = rotated.json();
        assertThat(secret(byDefault)).startsWith("whsec_").isNotEqualTo(secret(created));
        assertThat(instant(byDefault, "previous_secret_expires_at"))
                .as("24 h by default")
                .isEqualTo(instant(byDefault, "updated_at").plus(Duration.ofHours(24)));

        var hour = api.post(path + "/rotate-secret", Map.of("overlap_seconds", 3600))
                .json();
        assertThat(instant(hour, "previous_secret_expires_at"))
                .isEqualTo(instant(hour, "updated_at").plusSeconds(3600));

        var none =
                api.post(path + "/rotate-secret", Map.of("overlap_seconds", 0)).json();
        assertThat(none.get("previous_secret_expires_at").isNull()).isTrue();

        var fetched = api.get(path);
        assertThat(fetched.text()).doesNotContain(secret(created), secret(byDefault), secret(hour), secret(none));

        for (var overlap : List.of(-1, 604_801)) {
            var invalid = api.post(path + "/rotate-secret", Map.of("overlap_seconds", overlap));
            assertThat(invalid.status()).isEqualTo(422);
            assertThat(fields(invalid.json())).containsExactly("overlap_seconds");
            assertThat(message(invalid.json(), "overlap_seconds")).contains("0 and 604800");
        }
        var week = api.post(path + "/rotate-secret", Map.of("overlap_seconds", 604_800));
        assertThat(week.status()).isEqualTo(200);
    }

    @Test
    void anotherOrganizationsEndpointIsNotFoundEverywhere() {
        var org = newOrganization();
        var owner = org.api();
        var id = endpoint(owner, Map.of("url", URL)).get("id").asString();
        creditLow(org.id(), clock.instant());
        var deliveryId = deliveries(owner, id).getFirst().get("id").asString();
        var intruder = newOrganization().api();

        var path = "/webhook-endpoints/" + id;
        assertNotFound(intruder.get(path));
        assertNotFound(intruder.patch(path, Map.of("url", "https://intruder.example.com/")));
        assertNotFound(intruder.post(path + "/rotate-secret"));
        assertNotFound(intruder.get(path + "/deliveries"));
        assertNotFound(intruder.get(path + "/deliveries/" + deliveryId));
        assertNotFound(intruder.post(path + "/deliveries/" + deliveryId + "/redeliver"));
        assertNotFound(intruder.delete(path));
        assertThat(intruder.get("/webhook-endpoints").text()).doesNotContain(id);

        // a delivery is only found under its own endpoint
        var other = endpoint(owner, Map.of("url", URL)).get("id").asString();
        var misplaced = owner.get("/webhook-endpoints/" + other + "/deliveries/" + deliveryId);
        assertThat(misplaced.status()).isEqualTo(404);
        assertThat(misplaced.json().get("code").asString()).isEqualTo("WEBHOOK_DELIVERY_NOT_FOUND");

        var untouched = owner.get(path).json();
        assertThat(untouched.get("url").asString()).isEqualTo(URL);
    }

    @Test
    void anOrganizationHasAtMostTwentyEndpoints() {
        var api = newOrganization().api();
        for (int i = 0; i < WebhookEndpointService.MAX_ENDPOINTS; i++) {
            endpoint(api, Map.of("url", URL + "/" + i));
        }

        var refused = api.post("/webhook-endpoints", Map.of("url", URL));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("TOO_MANY_WEBHOOK_ENDPOINTS");
    }

    @Test
    void theOpenApiDocumentDescribesTheWebhookRoutes() {
        var doc = anonymous().get("/v3/api-docs").json();
        assertThat(doc.get("paths").propertyNames())
                .contains(
                        "/webhook-endpoints",
                        "/webhook-endpoints/{id}",
                        "/webhook-endpoints/{id}/rotate-secret",
                        "/webhook-endpoints/{endpointId}/deliveries",
                        "/webhook-endpoints/{endpointId}/deliveries/{deliveryId}",
                        "/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver");
        var schemas = doc.get("components").get("schemas");
        assertThat(schemas.get("EndpointRequest").get("properties").propertyNames())
                .containsExactlyInAnyOrder("url", "format", "event_types", "enabled", "description");
        assertThat(schemas.get("EndpointRequest")
                        .get("properties")
                        .get("format")
                        .get("enum")
                        .valueStream()
                        .map(JsonNode::asString))
                .containsExactly("standard", "talkifai");
        assertThat(schemas.get("TalkifaiWebhookMessage")
                        .get("required")
                        .valueStream()
                        .map(JsonNode::asString))
                .containsExactlyInAnyOrder("id", "type", "created", "data");
        var callbacks = doc.get("paths").get("/webhook-endpoints").get("post").get("callbacks");
        assertThat(callbacks.propertyNames()).contains("message", "talkifaiMessage");
        assertThat(callbacks.get("talkifaiMessage").toString()).contains("X-TalkifAI-Signature");
        assertThat(schemas.get("DeliveryDetailResponse").get("properties").propertyNames())
                .contains("webhook_id", "status", "next_attempt_at", "attempt_history", "payload");
    }

    @Test
    void endpointsNeedAnApiKey() {
        var response = anonymous().get("/webhook-endpoints");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("code").asString()).isEqualTo("UNAUTHORIZED");
    }

    private static void assertNotFound(Api.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(404);
        assertThat(response.json().get("code").asString()).isEqualTo("WEBHOOK_ENDPOINT_NOT_FOUND");
    }
}
