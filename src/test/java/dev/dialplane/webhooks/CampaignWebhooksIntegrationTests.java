package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import dev.dialplane.calls.CallService;
import dev.dialplane.campaigns.CampaignCallEndedUnseen;
import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.orgs.Tenant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Campaign events and campaign webhooks end to end: the event log of every status change (by
 * request and by Dialplane), {@code campaign.*} messages to a registered endpoint with the
 * breakdown, and MrAssistant's per-campaign webhook signed with the client's secret or a generated
 * one, carrying each of the campaign's calls' terminal event when asked to, and nothing else.
 */
class CampaignWebhooksIntegrationTests extends WebhookIntegrationTest {

    @Autowired
    CallService callService;

    private static final AtomicInteger CALLEES = new AtomicInteger();
    private static final Set<String> TERMINAL = Set.of("call.completed", "call.failed");

    /** A callee number of Chicago's area code no other test of this class uses. */
    private static String callee() {
        return "+1312555" + (3000 + CALLEES.getAndIncrement() % 7000);
    }

    private static JsonNode createCampaign(Setup setup, List<String> numbers, Object... extraFields) {
        var request = body(
                "agent_id",
                setup.agentId(),
                "name",
                "Renewals",
                "targets",
                numbers.stream().map(n -> Map.of("to_number", n)).toList());
        request.putAll(body(extraFields));
        var created = setup.api().post("/campaigns", request);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return created.json();
    }

    private static String campaignId(JsonNode created) {
        return created.get("campaign_id").asString();
    }

    private static JsonNode campaign(Setup setup, JsonNode created) {
        return setup.api().get("/campaigns/" + campaignId(created)).json();
    }

    private static JsonNode awaitCampaign(Setup setup, JsonNode created, String status) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> campaign(setup, created),
                        c -> c.get("status").asString().equals(status));
    }

    private static List<JsonNode> calls(Setup setup, String status) {
        var page = setup.api().get("/calls?limit=200&status=" + status);
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        var out = new ArrayList<JsonNode>();
        page.json().get("data").valueStream().forEach(out::add);
        return out;
    }

    private static List<JsonNode> awaitInProgress(Setup setup, int count) {
        return Awaitility.await().atMost(WAIT).until(() -> calls(setup, "in_progress"), c -> c.size() == count);
    }

    private static void hangUp(Setup setup, JsonNode call) {
        var ended = setup.api().post("/calls/" + call.get("id").asString() + "/hangup");
        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
    }

    private static List<JsonNode> events(Setup setup, JsonNode created) {
        var response = setup.api().get("/campaigns/" + campaignId(created) + "/events");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var out = new ArrayList<JsonNode>();
        response.json().get("data").valueStream().forEach(out::add);
        return out;
    }

    private static String summary(JsonNode event) {
        return event.get("sequence").asInt() + " " + event.get("type").asString() + " "
                + (event.get("from_status").isNull()
                        ? "-"
                        : event.get("from_status").asString()) + ">"
                + event.get("to_status").asString() + " " + event.get("actor").asString();
    }

    private static boolean ofCampaign(WebhookReceiver.Received message, JsonNode created) {
        var data = message.json().get("data");
        return data.has("campaign")
                && data.get("campaign").get("campaign_id").asString().equals(campaignId(created));
    }

    @Test
    void everyStatusChangeIsAnEventOfTheCampaign_inSequence_withActorAndReason() {
        var setup = newSetup();
        var start = clock.instant().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var created = createCampaign(setup, List.of(callee()), "schedule_at", start.toString());
        assertThat(events(setup, created).stream().map(CampaignWebhooksIntegrationTests::summary))
                .containsExactly("1 created ->scheduled api");

        setClock(start.plusSeconds(1));
        var call = awaitInProgress(setup, 1).getFirst();
        var id = campaignId(created);
        assertThat(setup.api().post("/campaigns/" + id + "/pause").status()).isEqualTo(200);
        assertThat(setup.api().post("/campaigns/" + id + "/resume").status()).isEqualTo(200);
        hangUp(setup, call);
        awaitCampaign(setup, created, "completed");

        var events = events(setup, created);
        assertThat(events.stream().map(CampaignWebhooksIntegrationTests::summary))
                .containsExactly(
                        "1 created ->scheduled api",
                        "2 started scheduled>running dialplane",
                        "3 paused running>paused api",
                        "4 resumed paused>running api",
                        "5 completed running>completed dialplane");
        assertThat(events.stream().map(e -> e.get("reason").asString()))
                .containsExactly(
                        "by request",
                        "its start time came (schedule_at " + start + ")",
                        "by request",
                        "by request",
                        "every contact is done");
        assertThat(events.getFirst().get("occurred_at").asString())
                .isEqualTo(created.get("created_at").asString());
        assertThat(java.time.Instant.parse(events.get(1).get("occurred_at").asString()))
                .as("started when the driver found its time had come")
                .isAfterOrEqualTo(start.plusSeconds(1));
        events.forEach(e -> assertThat(e.get("campaign_id").asString()).isEqualTo(id));

        // another organization's campaign is not found, not forbidden
        var other = newSetup().api().get("/campaigns/" + id + "/events");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().get("code").asString()).isEqualTo("CAMPAIGN_NOT_FOUND");
    }

    @Test
    void aCampaignStartedAtOnceIsCreatedAndStartedAtOneInstant_andCanceledByRequest() {
        var setup = newSetup();
        var closed = setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", 0));
        assertThat(closed.status()).as(closed.text()).isEqualTo(200);
        var created = createCampaign(setup, List.of(callee()));
        var canceled = setup.api().post("/campaigns/" + campaignId(created) + "/cancel");
        assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);

        var events = events(setup, created);
        assertThat(events.stream().map(CampaignWebhooksIntegrationTests::summary))
                .containsExactly(
                        "1 created ->scheduled api",
                        "2 started scheduled>running api",
                        "3 canceled running>canceled api");
        assertThat(events.get(0).get("occurred_at")).isEqualTo(events.get(1).get("occurred_at"));
        assertThat(events.get(2).get("reason").asString()).isEqualTo("by request");
    }

    @Test
    void creditsRunningOutPauseTheCampaignOnDialplanesAccount() {
        var setup = newSetup(0);
        var created = createCampaign(setup, List.of(callee()));
        var paused = awaitCampaign(setup, created, "paused");
        var events = events(setup, created);
        assertThat(events.stream().map(CampaignWebhooksIntegrationTests::summary))
                .containsExactly(
                        "1 created ->scheduled api",
                        "2 started scheduled>running api",
                        "3 paused running>paused dialplane");
        var reason = events.getLast().get("reason").asString();
        assertThat(reason).startsWith("credits ran out: ");
        assertThat(paused.get("status_reason").asString()).isEqualTo(reason);

        assertThat(setup.api()
                        .post("/campaigns/" + campaignId(created) + "/cancel")
                        .status())
                .isEqualTo(200);
        var last = events(setup, created).getLast();
        assertThat(summary(last)).isEqualTo("4 canceled paused>canceled api");
        assertThat(campaign(setup, created).get("status_reason").isNull()).isTrue();
    }

    @Test
    void aRegisteredEndpointSubscribedToCampaignEventsGetsThemWithTheBreakdown() {
        var setup = newSetup();
        var receiver = receiver();
        var endpoint = endpoint(
                setup.api(),
                Map.of(
                        "url",
                        receiver.url(),
                        "event_types",
                        List.of("campaign.started", "campaign.paused", "campaign.resumed", "campaign.completed")));
        var secret = secret(endpoint);
        var numbers = List.of(callee(), callee());
        LIVEKIT.onDial(numbers.get(1), DialScript.sipFailure(486, "Busy Here"));
        var created = createCampaign(setup, numbers, "concurrent_calls", 2);
        var id = campaignId(created);
        var live = awaitInProgress(setup, 1);
        assertThat(setup.api().post("/campaigns/" + id + "/pause").status()).isEqualTo(200);
        assertThat(setup.api().post("/campaigns/" + id + "/resume").status()).isEqualTo(200);
        hangUp(setup, live.getFirst());
        var done = awaitCampaign(setup, created, "completed");

        var messages = new ArrayList<>(receiver.await(4, m -> ofCampaign(m, created)));
        messages.sort(java.util.Comparator.comparingInt(
                m -> m.json().get("data").get("event").get("sequence").asInt()));
        assertThat(messages.stream().map(WebhookReceiver.Received::type))
                .containsExactly("campaign.started", "campaign.paused", "campaign.resumed", "campaign.completed");
        messages.forEach(m -> {
            m.assertWellFormed();
            m.verifyWith(secret);
        });
        var started = messages.getFirst().json().get("data");
        assertThat(started.get("event").get("sequence").asInt()).isEqualTo(2);
        assertThat(started.get("event").get("actor").asString()).isEqualTo("api");
        assertThat(started.get("campaign").get("status").asString()).isEqualTo("running");
        assertThat(started.get("campaign").get("contacts").get("pending").asInt())
                .isEqualTo(2);
        var completed = messages.getLast().json();
        assertThat(completed.get("timestamp").asString())
                .isEqualTo(completed.get("data").get("event").get("occurred_at").asString());
        var data = completed.get("data");
        assertThat(data.get("event").get("type").asString()).isEqualTo("completed");
        assertThat(data.get("event").get("reason").asString()).isEqualTo("every contact is done");
        assertThat(data.get("event").get("actor").asString()).isEqualTo("dialplane");
        assertThat(data.get("campaign")).as("the campaign as GET shows it").isEqualTo(done);
        assertThat(data.get("campaign").get("contacts").get("completed").asInt())
                .isEqualTo(1);
        assertThat(data.get("campaign").get("contacts").get("failed").asInt()).isEqualTo(1);
        assertThat(data.get("campaign").get("calls_failed").asInt()).isEqualTo(1);
        // subscribed to campaign events only: none of the calls' events
        assertThat(receiver.received()).allSatisfy(m -> assertThat(m.type()).startsWith("campaign."));
    }

    @Test
    void aCampaignsOwnWebhookIsSignedWithTheClientsSecret_andGetsEachOfItsCallsEndOnce() throws Exception {
        var setup = newSetup();
        var receiver = receiver();
        // an endpoint of the organization's own, to show the campaign's is not among them
        var registered = endpoint(setup.api(), Map.of("url", receiver.url(), "event_types", List.of("credit.low")));
        var secret = "mr-assistant-secret-" + UUID.randomUUID();
        var numbers = List.of(callee(), callee(), callee());
        LIVEKIT.onDial(numbers.get(1), DialScript.sipFailure(486, "Busy Here"));
        LIVEKIT.onDial(numbers.get(2), DialScript.sipFailure(404, "Not Found"));
        var created = createCampaign(
                setup,
                numbers,
                "concurrent_calls",
                3,
                "webhook_url",
                receiver.url(),
                "webhook_secret",
                secret,
                "notify_on_call_complete",
                true);
        assertThat(created.get("webhook_url").asString()).isEqualTo(receiver.url());
        assertThat(created.get("notify_on_call_complete").asBoolean()).isTrue();
        assertThat(created.get("webhook_secret").isNull())
                .as("the client gave its own")
                .isTrue();
        // a call of the organization's own, not the campaign's, ends meanwhile
        var own = place(setup, callee(), "wait_until_answered", true);
        assertThat(own.status()).as(own.text()).isEqualTo(200);
        var ownId = own.json().get("call_id").asString();

        var answered = awaitInProgress(setup, 2).stream()
                .filter(c -> !c.get("id").asString().equals(ownId))
                .findFirst()
                .orElseThrow();
        hangUp(setup, answered);
        setup.api().post("/calls/" + ownId + "/hangup");
        awaitCampaign(setup, created, "completed");

        // started, the three calls' ends and completed: the organization's own endpoint wants none of them
        var messages = receiver.await(5);
        for (var message : messages) {
            message.assertWellFormed();
            assertThat(signedByRawKey(message, secret)).as(message.type()).isTrue();
            // the reference library verifies it with the secret's UTF-8 bytes as the key
            new Webhook(secret.getBytes(StandardCharsets.UTF_8)).verify(message.body(), message.headers());
        }
        assertThat(messages.stream().map(WebhookReceiver.Received::type).filter(t -> t.startsWith("campaign.")))
                .containsExactlyInAnyOrder("campaign.started", "campaign.completed");
        var terminal =
                messages.stream().filter(m -> TERMINAL.contains(m.type())).toList();
        var campaignCalls = calls(setup, "completed,busy,failed").stream()
                .map(c -> c.get("id").asString())
                .filter(c -> !c.equals(ownId))
                .toList();
        assertThat(campaignCalls).hasSize(3);
        assertThat(terminal.stream()
                        .map(m -> m.json().get("data").get("call").get("id").asString()))
                .as("exactly one terminal event per campaign call, none of the organization's own call")
                .containsExactlyInAnyOrderElementsOf(campaignCalls);
        assertThat(terminal.stream().map(WebhookReceiver.Received::type))
                .containsExactlyInAnyOrder("call.completed", "call.failed", "call.failed");
        // the same payload an endpoint gets: the call as GET /calls/{id} shows it, and its sequence
        var completedCall = terminal.stream()
                .filter(m -> m.type().equals("call.completed"))
                .findFirst()
                .orElseThrow()
                .json()
                .get("data");
        assertThat(completedCall.get("call").get("id").asString())
                .isEqualTo(answered.get("id").asString());
        assertThat(completedCall.has("sequence")).isTrue();

        // not an endpoint of the organization's; its deliveries are the campaign's
        var endpoints = setup.api().get("/webhook-endpoints").json().get("data");
        assertThat(endpoints.valueStream().map(e -> e.get("id").asString()))
                .containsExactly(registered.get("id").asString());
        var deliveries = setup.api().get("/campaigns/" + campaignId(created) + "/webhook-deliveries");
        assertThat(deliveries.status()).as(deliveries.text()).isEqualTo(200);
        var log = deliveries.json().get("data");
        assertThat(log.size()).isEqualTo(5);
        var first = log.get(0);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> setup.api()
                        .get("/campaigns/" + campaignId(created) + "/webhook-deliveries/"
                                + first.get("id").asString())
                        .json()
                        .get("status")
                        .asString()
                        .equals("delivered"));
        var detail = setup.api()
                .get("/campaigns/" + campaignId(created) + "/webhook-deliveries/"
                        + first.get("id").asString());
        assertThat(detail.status()).as(detail.text()).isEqualTo(200);
        var hidden =
                setup.api().get("/webhook-endpoints/" + first.get("endpoint_id").asString());
        assertThat(hidden.status()).isEqualTo(404);
        var otherOrg = newSetup().api().get("/campaigns/" + campaignId(created) + "/webhook-deliveries");
        assertThat(otherOrg.status()).isEqualTo(404);

        // the secret is in no response
        for (var text : List.of(
                created.toString(),
                campaign(setup, created).toString(),
                setup.api().get("/campaigns").text(),
                setup.api().get("/campaigns/" + campaignId(created) + "/events").text(),
                deliveries.text(),
                detail.text())) {
            assertThat(text).doesNotContain(secret);
        }
    }

    /**
     * A campaign call that ended before the driver stored it on its contact (the driver then
     * publishes {@link CampaignCallEndedUnseen}): the campaign's webhook still gets its end, once,
     * however often that is announced.
     */
    @Test
    void aCallThatEndedBeforeItsContactPointedAtItStillReachesTheCampaignsWebhookOnce() {
        var setup = newSetup();
        var receiver = receiver();
        var secret = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);
        var created = createCampaign(
                setup,
                List.of(callee()),
                "schedule_at",
                "2099-01-01T00:00:00Z",
                "webhook_url",
                receiver.url(),
                "webhook_secret",
                secret,
                "notify_on_call_complete",
                true);
        var call = answeredCall(setup, callee());
        var callId = call.get("id").asString();
        hangUp(setup, call);
        awaitCall(setup.api(), callId, "completed");
        var campaign = UUID.fromString(campaignId(created));
        var ended = callService.get(new Tenant(setup.org().id()), UUID.fromString(callId));
        assertThat(setup.api()
                        .get("/campaigns/" + campaign + "/webhook-deliveries")
                        .json()
                        .get("data")
                        .size())
                .as("nothing told the campaign's webhook of it yet")
                .isZero();

        events.publishEvent(new CampaignCallEndedUnseen(campaign, ended));
        events.publishEvent(new CampaignCallEndedUnseen(campaign, ended));

        var messages = receiver.await(1);
        assertThat(messages.getFirst().type()).isEqualTo("call.completed");
        messages.getFirst().verifyWith(secret);
        var data = messages.getFirst().json().get("data");
        assertThat(data.get("call").get("id").asString()).isEqualTo(callId);
        var terminal = setup.api()
                .get("/calls/" + callId + "/events")
                .json()
                .get("data")
                .valueStream()
                .filter(e -> e.get("status").asString().equals("completed"))
                .findFirst()
                .orElseThrow();
        assertThat(data.get("sequence").asInt())
                .isEqualTo(terminal.get("sequence").asInt());
        assertThat(setup.api()
                        .get("/campaigns/" + campaign + "/webhook-deliveries")
                        .json()
                        .get("data")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void withoutASecretOneIsGeneratedAndShownOnce_andWithoutNotifyNoCallEventIsSent() {
        var setup = newSetup();
        var receiver = receiver();
        var created = createCampaign(setup, List.of(callee()), "webhook_url", receiver.url());
        var secret = created.get("webhook_secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length())))
                .hasSize(32);
        assertThat(created.get("notify_on_call_complete").asBoolean()).isFalse();
        var shown = campaign(setup, created);
        assertThat(shown.has("webhook_secret")).as("GET never shows it").isFalse();
        assertThat(shown.get("webhook_url").asString()).isEqualTo(receiver.url());

        hangUp(setup, awaitInProgress(setup, 1).getFirst());
        awaitCampaign(setup, created, "completed");
        var messages = receiver.await(2);
        assertThat(messages.stream().map(WebhookReceiver.Received::type))
                .containsExactlyInAnyOrder("campaign.started", "campaign.completed");
        messages.forEach(m -> {
            m.verifyWith(secret);
            assertThat(m.signedBy(secret)).isTrue();
        });
        assertThat(setup.api().get("/campaigns").text()).doesNotContain(secret);
        assertThat(setup.api().get("/webhook-endpoints").json().get("data").size())
                .isZero();
    }

    @Test
    void invalidWebhookFieldsAre422sInFastApisForm_withoutTheSecret() {
        var setup = newSetup();
        var secret = "has a space-" + UUID.randomUUID();
        var cases = List.of(
                Map.of("webhook_url", "not a url"),
                Map.of("webhook_url", "ftp://example.com/hook"),
                Map.of("webhook_url", "https://user:pw@example.com/hook"),
                Map.of("webhook_url", "https://example.com/hook#part"),
                Map.of("webhook_url", "https://example.com/" + "a".repeat(2048)),
                Map.of("webhook_url", 42),
                Map.of("webhook_url", "https://example.com/hook", "webhook_secret", "short"),
                Map.of("webhook_url", "https://example.com/hook", "webhook_secret", secret),
                Map.of("webhook_url", "https://example.com/hook", "webhook_secret", "whsec_not!base64"),
                Map.of("webhook_url", "https://example.com/hook", "webhook_secret", "whsec_c2hvcnQ="),
                Map.of("webhook_secret", "a-secret-without-a-url"),
                Map.of("notify_on_call_complete", true),
                Map.of("webhook_url", "https://example.com/hook", "notify_on_call_complete", "maybe"));
        var expected = List.of(
                "webhook_url",
                "webhook_url",
                "webhook_url",
                "webhook_url",
                "webhook_url",
                "webhook_url",
                "webhook_secret",
                "webhook_secret",
                "webhook_secret",
                "webhook_secret",
                "webhook_secret",
                "notify_on_call_complete",
                "notify_on_call_complete");
        for (int i = 0; i < cases.size(); i++) {
            var request =
                    body("agent_id", setup.agentId(), "name", "Bad", "targets", List.of(Map.of("to_number", callee())));
            request.putAll(cases.get(i));
            var response = setup.api().post("/campaigns", request);
            assertThat(response.status())
                    .as(cases.get(i) + ": " + response.text())
                    .isEqualTo(422);
            assertThat(fields(response.json())).as(cases.get(i).toString()).containsExactly(expected.get(i));
            assertThat(response.json().get("detail").get(0).get("loc").get(0).asString())
                    .isEqualTo("body");
            assertThat(response.text()).doesNotContain(secret).doesNotContain("a-secret-without-a-url");
        }
        assertThat(setup.api().get("/campaigns").json().get("data").size()).isZero();
    }

    /** Verification as the README describes it for a secret without {@code whsec_}: its UTF-8 bytes are the key. */
    private static boolean signedByRawKey(WebhookReceiver.Received message, String secret) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        var expected = mac.doFinal((message.webhookId() + "." + message.timestamp() + "." + message.body())
                .getBytes(StandardCharsets.UTF_8));
        return message.signatures().stream()
                .filter(s -> s.startsWith("v1,"))
                .map(s -> Base64.getDecoder().decode(s.substring(3)))
                .anyMatch(candidate -> MessageDigest.isEqual(candidate, expected));
    }
}
