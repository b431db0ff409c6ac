package dev.dialplane.fakelivekit;

import static dev.dialplane.fakelivekit.FakeLiveKitClients.TIMEOUT;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.postProto;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.sipCallBearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.livekit.server.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks as §4 describes them, checked with the SDK's own WebhookReceiver. */
class FakeLiveKitWebhookTests {

    private FakeLiveKit fake;
    private WebhookSink sink;

    @BeforeEach
    void start() {
        fake = FakeLiveKit.start();
        fake.registerTrunk("ST_abc");
        sink = new WebhookSink();
        fake.webhookTarget(sink.uri());
    }

    @AfterEach
    void stop() {
        fake.close();
        sink.close();
    }

    private void dialAndFail() {
        fake.onDial("+12025550101", DialScript.sipFailure(486, "Busy Here"));
        postProto(
                fake,
                "/twirp/livekit.SIP/CreateSIPParticipant",
                CreateSIPParticipantRequest.newBuilder()
                        .setSipTrunkId("ST_abc")
                        .setSipCallTo("+12025550101")
                        .setRoomName("r1")
                        .build(),
                sipCallBearer(fake));
    }

    @Test
    void nothingIsSentUntilTheTestDelivers() {
        dialAndFail();

        assertThat(sink.received()).isEmpty();
        assertThat(fake.webhooks().pending())
                .extracting(WebhookEvent::getEvent)
                .containsExactly("room_started", "participant_joined", "participant_left", "room_finished");

        assertThat(fake.webhooks().deliverAll()).containsExactly(200, 200, 200, 200);
        assertThat(fake.webhooks().pending()).isEmpty();
        assertThat(sink.received()).hasSize(4);
    }

    @Test
    void deliveriesVerifyWithTheSdksWebhookReceiver() {
        dialAndFail();
        fake.webhooks().deliverAll();
        var receiver = new WebhookReceiver(fake.apiKey(), fake.apiSecret());

        List<WebhookEvent> events = sink.received().stream()
                .map(r -> receiver.receive(r.body(), r.authorization()))
                .toList();

        assertThat(events)
                .extracting(WebhookEvent::getEvent)
                .containsExactly("room_started", "participant_joined", "participant_left", "room_finished");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getId()).startsWith("EV_");
            assertThat(e.getCreatedAt())
                    .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
        });
        assertThat(events).extracting(WebhookEvent::getId).doesNotHaveDuplicates();
        assertThat(events.get(2).getParticipant().getKind()).isEqualTo(ParticipantInfo.Kind.SIP);
        assertThat(events.get(2).getRoom().getName()).isEqualTo("r1");
    }

    @Test
    void requestsCarryLiveKitsHeadersRawTokenAndBodyHash() {
        fake.emit(WebhookEvent.newBuilder().setEvent("room_started").build());
        fake.webhooks().deliverAll();

        WebhookSink.Received received = sink.received().getFirst();
        assertThat(received.contentType()).isEqualTo("application/webhook+json");
        assertThat(received.userAgent()).isEqualTo("LiveKit");
        assertThat(received.authorization()).doesNotStartWith("Bearer ");

        Map<String, Object> claims = Jwt.decodePayloadLeniently(received.authorization());
        assertThat(claims).containsEntry("iss", fake.apiKey());
        long exp = (Long) claims.get("exp");
        assertThat(exp - Instant.now().getEpochSecond()).isBetween(290L, 300L);
        String sha =
                Base64.getEncoder().encodeToString(Jwt.sha256(received.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(claims).containsEntry("sha256", sha);
        String header = new String(
                Base64.getUrlDecoder().decode(received.authorization().split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(JsonParser.parseString(header).getAsJsonObject().get("alg").getAsString())
                .isEqualTo("HS256");
    }

    @Test
    void bodyIsProtojsonWithCamelCaseNamesInt64StringsAndNoDefaults() {
        dialAndFail();
        fake.webhooks().deliverAll();

        var left = JsonParser.parseString(sink.received().get(2).body()).getAsJsonObject();
        assertThat(left.get("event").getAsString()).isEqualTo("participant_left");
        assertThat(left.get("createdAt").getAsJsonPrimitive().isString()).isTrue();
        assertThat(left.has("created_at")).isFalse();
        assertThat(left.has("numDropped")).isFalse();
        var participant = left.getAsJsonObject("participant");
        assertThat(participant.get("kind").getAsString()).isEqualTo("SIP");
        assertThat(participant.get("disconnectReason").getAsString()).isEqualTo("USER_REJECTED");
        assertThat(participant.get("joinedAt").getAsJsonPrimitive().isString()).isTrue();
    }

    @Test
    void aWrongSigningSecretFailsTheReceiversCheck() {
        fake.webhooks().signWith("not-the-api-secret-not-the-api-secret");
        fake.emit(WebhookEvent.newBuilder().setEvent("room_started").build());
        fake.webhooks().deliverAll();
        var receiver = new WebhookReceiver(fake.apiKey(), fake.apiSecret());

        WebhookSink.Received received = sink.received().getFirst();
        assertThatThrownBy(() -> receiver.receive(received.body(), received.authorization()))
                .isInstanceOf(Exception.class);

        fake.webhooks().signWith(null);
        fake.emit(WebhookEvent.newBuilder().setEvent("room_finished").build());
        fake.webhooks().deliverAll();
        WebhookSink.Received good = sink.received().get(1);
        assertThat(receiver.receive(good.body(), good.authorization()).getEvent())
                .isEqualTo("room_finished");
    }

    @Test
    void deliverTwiceSendsTheSameIdAndDeliverInOrderReorders() {
        dialAndFail();
        List<WebhookEvent> pending = fake.webhooks().pending();
        var receiver = new WebhookReceiver(fake.apiKey(), fake.apiSecret());

        assertThat(fake.webhooks().deliverTwice(pending.get(1))).containsExactly(200, 200);
        assertThat(fake.webhooks().deliverInOrder(List.of(pending.get(3), pending.get(2), pending.get(0))))
                .containsExactly(200, 200, 200);

        List<WebhookEvent> received = sink.received().stream()
                .map(r -> receiver.receive(r.body(), r.authorization()))
                .toList();
        assertThat(received)
                .extracting(WebhookEvent::getEvent)
                .containsExactly(
                        "participant_joined",
                        "participant_joined",
                        "room_finished",
                        "participant_left",
                        "room_started");
        assertThat(received.get(0).getId()).isEqualTo(received.get(1).getId());
        assertThat(fake.webhooks().pending()).isEmpty();
    }

    @Test
    void theTargetsStatusIsReported() {
        sink.answer(500);
        WebhookEvent event =
                fake.emit(WebhookEvent.newBuilder().setEvent("room_started").build());

        assertThat(fake.webhooks().deliver(event)).isEqualTo(500);
        assertThat(fake.webhooks().deliveries())
                .extracting(WebhookDelivery::status)
                .containsExactly(500);
    }

    @Test
    void autoDeliverSendsEventsAsTheyHappenInOrder() {
        fake.webhooks().autoDeliver(true);

        dialAndFail();

        List<WebhookDelivery> deliveries = fake.webhooks().awaitDeliveries(4, TIMEOUT);
        assertThat(deliveries)
                .extracting(d -> d.event().getEvent())
                .containsExactly("room_started", "participant_joined", "participant_left", "room_finished");
        assertThat(fake.webhooks().pending()).isEmpty();
    }

    @Test
    void emitFillsIdAndCreatedAtAndSignedFormIsAvailableWithoutANetworkHop() {
        WebhookEvent event = fake.emit(WebhookEvent.newBuilder()
                .setEvent("participant_left")
                .setParticipant(ParticipantInfo.newBuilder().setIdentity("sip_+1202"))
                .build());

        assertThat(event.getId()).startsWith("EV_");
        assertThat(event.getCreatedAt()).isPositive();
        SignedWebhook signed = fake.webhooks().sign(event);
        assertThat(new WebhookReceiver(fake.apiKey(), fake.apiSecret()).receive(signed.body(), signed.authorization()))
                .isEqualTo(event);
    }
}
