package dev.dialplane.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.FakeLiveKit;
import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * LiveKit's signed webhooks end answered calls, in the order, duplication and delay the contract
 * describes (§4: best effort, at least once, per-room FIFO, int64 as strings): every call ends in
 * exactly one terminal state.
 */
class LiveKitWebhookIntegrationTests extends LiveKitIntegrationTest {

    private static final String TO = "+12025550123";

    @Autowired
    JdbcClient jdbc;

    @Test
    void theCalleeHangingUpCompletesTheCallAndBillsIt() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var room = call.get("room_name").asString();
        assertThat(LIVEKIT.webhooks().pending())
                .extracting(WebhookEvent::getEvent)
                .contains("participant_joined");

        LIVEKIT.hangUpByCallee(room);
        assertThat(deliverWebhooks()).containsOnly(200);

        var ended = setup.api().get("/calls/" + call.get("id").asString()).json();
        assertThat(ended.get("status").asString()).isEqualTo("completed");
        assertThat(ended.get("end_reason").asString()).isEqualTo("hangup_by_callee");
        assertThat(ended.get("ended_at").isNull()).isFalse();
        assertThat(ended.get("duration_seconds").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(ended.has("cost")).isTrue();
        assertThat(terminalEvents(setup.api(), call)).isEqualTo(1);
    }

    @Test
    void repeatedAndReorderedEventsChangeNothingTwice() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        var pending = LIVEKIT.webhooks().pending();
        var left = pending.stream()
                .filter(e -> e.getEvent().equals("participant_left"))
                .findFirst()
                .orElseThrow();
        var finished = pending.stream()
                .filter(e -> e.getEvent().equals("room_finished"))
                .findFirst()
                .orElseThrow();

        // room_finished first, then participant_left twice: LiveKit guarantees neither order nor once
        assertThat(LIVEKIT.webhooks().deliver(finished)).isEqualTo(200);
        assertThat(LIVEKIT.webhooks().deliverTwice(left)).containsExactly(200, 200);
        deliverWebhooks();

        var ended = setup.api().get("/calls/" + call.get("id").asString()).json();
        assertThat(ended.get("status").asString()).isEqualTo("completed");
        assertThat(ended.get("end_reason").asString()).isEqualTo("room_closed");
        assertThat(terminalEvents(setup.api(), call)).isEqualTo(1);
        var handled = jdbc.sql("select count(*) from livekit_webhook_events where id = :id")
                .param("id", left.getId())
                .query(Long.class)
                .single();
        assertThat(handled).isEqualTo(1);
    }

    @Test
    void aLateEventNeverReopensOrRelabelsAnEndedCall() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        assertThat(setup.api().post("/calls/" + id + "/hangup").status()).isEqualTo(200);
        deliverWebhooks(); // participant_left ROOM_DELETED after Dialplane's own hang-up

        var ended = setup.api().get("/calls/" + id).json();
        assertThat(ended.get("status").asString()).isEqualTo("completed");
        assertThat(ended.get("end_reason").asString()).isEqualTo("hangup_api");
        // the same leave, delivered again much later
        var replay = LIVEKIT.webhooks().generated().stream()
                .filter(e -> e.getEvent().equals("participant_left"))
                .findFirst()
                .orElseThrow();
        assertThat(LIVEKIT.webhooks().deliver(replay)).isEqualTo(200);
        assertThat(setup.api().get("/calls/" + id).json()).isEqualTo(ended);
        assertThat(terminalEvents(setup.api(), call)).isEqualTo(1);
    }

    @Test
    void theAgentLeavingDoesNotEndTheCall() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var agentLeft = WebhookEvent.newBuilder()
                .setEvent("participant_left")
                .setRoom(Room.newBuilder().setName(call.get("room_name").asString()))
                .setParticipant(ParticipantInfo.newBuilder()
                        .setIdentity("agent-AJ_1")
                        .setKind(ParticipantInfo.Kind.AGENT)
                        .setDisconnectReason(DisconnectReason.CLIENT_INITIATED))
                .build();
        LIVEKIT.emit(agentLeft);
        assertThat(deliverWebhooks()).containsOnly(200);
        assertThat(setup.api()
                        .get("/calls/" + call.get("id").asString())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("in_progress");
    }

    @Test
    void anAgentDeletingTheRoomIsTheAgentHangingUp() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var room = call.get("room_name").asString();
        // the agent (not Dialplane) deletes the room, as LiveKit's outbound examples hang up
        var left = WebhookEvent.newBuilder()
                .setEvent("participant_left")
                .setRoom(Room.newBuilder().setName(room))
                .setParticipant(ParticipantInfo.newBuilder()
                        .setIdentity("sip-" + call.get("id").asString())
                        .setKind(ParticipantInfo.Kind.SIP)
                        .setDisconnectReason(DisconnectReason.ROOM_DELETED))
                .build();
        LIVEKIT.emit(left);
        deliverWebhooks();
        var ended = setup.api().get("/calls/" + call.get("id").asString()).json();
        assertThat(ended.get("end_reason").asString()).isEqualTo("hangup_by_agent");
    }

    @Test
    void eventsAboutOtherRoomsAreAcknowledgedAndIgnored() {
        var foreign = WebhookEvent.newBuilder()
                .setEvent("room_finished")
                .setRoom(Room.newBuilder().setName("somebody-elses-room"))
                .build();
        LIVEKIT.emit(foreign);
        assertThat(deliverWebhooks()).containsExactly(200);
    }

    @Test
    void aBadSignatureIs401AndStoresNothing() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        LIVEKIT.webhooks().signWith("not-the-secret-" + "x".repeat(30));
        var before = storedEvents();

        assertThat(deliverWebhooks()).containsOnly(401);

        assertThat(storedEvents()).isEqualTo(before);
        assertThat(setup.api()
                        .get("/calls/" + call.get("id").asString())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("in_progress");
        var last = LIVEKIT.webhooks().deliveries().getLast();
        var unsigned = anonymous().send("POST", "/webhooks/livekit", "application/webhook+json", last.body());
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.json().get("code").asString()).isEqualTo("INVALID_SIGNATURE");
    }

    @Test
    void aStaleSignatureIs401() throws Exception {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        var event = LIVEKIT.webhooks().pending().stream()
                .filter(e -> e.getEvent().equals("participant_left"))
                .findFirst()
                .orElseThrow();
        var body = LIVEKIT.webhooks().sign(event).body();
        var before = storedEvents();

        var expired = token(LIVEKIT, body, Instant.now().minusSeconds(600));
        var response = anonymous()
                .withHeader("Authorization", expired)
                .send("POST", "/webhooks/livekit", "application/webhook+json", body);
        assertThat(response.status()).isEqualTo(401);

        // the same body and a fresh token is accepted: only the age was wrong
        var fresh = anonymous()
                .withHeader("Authorization", token(LIVEKIT, body, Instant.now().plusSeconds(300)))
                .send("POST", "/webhooks/livekit", "application/webhook+json", body);
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(storedEvents()).isEqualTo(before + 1);

        // a body changed after signing does not match the token's sha256 claim
        var tampered = anonymous()
                .withHeader("Authorization", token(LIVEKIT, body, Instant.now().plusSeconds(300)))
                .send(
                        "POST",
                        "/webhooks/livekit",
                        "application/webhook+json",
                        body.replace("participant_left", "room_finished"));
        assertThat(tampered.status()).isEqualTo(401);
    }

    @Test
    void emptyOrUnsignedRequestsAreClear4xx() {
        var missing = anonymous().send("POST", "/webhooks/livekit", "application/webhook+json", "{}");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("detail").asString()).contains("Authorization");
        var empty = anonymous()
                .withHeader("Authorization", "x")
                .send("POST", "/webhooks/livekit", "application/webhook+json", "");
        assertThat(empty.status()).isEqualTo(400);
    }

    private long storedEvents() {
        return jdbc.sql("select count(*) from livekit_webhook_events")
                .query(Long.class)
                .single();
    }

    private static long terminalEvents(Api api, JsonNode call) {
        var events = api.get("/calls/" + call.get("id").asString() + "/events")
                .json()
                .get("data");
        return events.valueStream()
                .filter(e -> java.util.Set.of("completed", "busy", "no_answer", "failed", "canceled")
                        .contains(e.get("status").asString()))
                .count();
    }

    /** A LiveKit-style webhook token (HS256, iss = API key, sha256 of the body) with a chosen expiry. */
    private static String token(FakeLiveKit liveKit, String body, Instant expiry) throws Exception {
        var encoder = Base64.getUrlEncoder().withoutPadding();
        var sha = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        var header = encoder.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        var payload = encoder.encodeToString(("{\"iss\":\"" + liveKit.apiKey() + "\",\"exp\":" + expiry.getEpochSecond()
                        + ",\"nbf\":" + expiry.minusSeconds(900).getEpochSecond() + ",\"sha256\":\"" + sha + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(liveKit.apiSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        var signature = encoder.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
        return header + "." + payload + "." + signature;
    }
}
