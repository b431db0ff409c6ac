package dev.dialplane.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.fakelivekit.RecordedRequest;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.Instant;
import java.util.Map;
import livekit.LivekitRoom.DeleteRoomRequest;
import livekit.LivekitSip.TransferSIPParticipantRequest;
import org.junit.jupiter.api.Test;

/** Hang-up, transfer and the call list. */
class CallControlIntegrationTests extends LiveKitIntegrationTest {

    private static final String TO = "+12025550123";

    @Test
    void hangingUpALiveCallDeletesItsRoomAndCompletesIt() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();

        var response = setup.api().post("/calls/" + id + "/hangup");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("completed");
        assertThat(response.json().get("end_reason").asString()).isEqualTo("hangup_api");
        var delete = LIVEKIT.requests("RoomService", "DeleteRoom").getLast();
        assertThat(delete.bodyAs(DeleteRoomRequest.class).getRoom())
                .isEqualTo(call.get("room_name").asString());
        assertThat(grants(delete, "video")).containsEntry("roomCreate", true);

        var again = setup.api().post("/calls/" + id + "/hangup");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asString()).isEqualTo("CALL_ALREADY_ENDED");
    }

    @Test
    void hangingUpARingingCallCancelsIt() {
        var setup = newSetup();
        var held = LIVEKIT.onDial(TO, DialScript.holdUntilReleased());
        var placed = setup.api()
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", TO))
                .json();
        held.awaitDialed(WAIT);
        var id = placed.get("call_id").asString();

        var response = setup.api().post("/calls/" + id + "/hangup");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("canceled");
        assertThat(response.json().get("end_reason").asString()).isEqualTo("hangup_api");
        // the phone stops ringing: LiveKit ends the held dial when its room is deleted
        assertThat(held.awaitEnded(WAIT)).isNotBlank();
        var call = awaitCall(setup.api(), id, "canceled");
        assertThat(call.get("cost").decimalValue()).isZero();
        dialedOnce(call.get("room_name").asString());
        var events = setup.api().get("/calls/" + id + "/events").json().get("data");
        assertThat(events.valueStream()
                        .filter(e -> e.get("status").asString().equals("canceled"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void hangUpWhenLiveKitIsDownLeavesTheCallAsItIs() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        LIVEKIT.failNext("RoomService", "DeleteRoom", "unavailable", 503, "no response from servers");

        var response = setup.api().post("/calls/" + id + "/hangup");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().get("code").asString()).isEqualTo("TELEPHONY_UNAVAILABLE");
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(setup.api().get("/calls/" + id).json().get("status").asString())
                .isEqualTo("in_progress");
        assertThat(setup.api()
                        .post("/calls/" + id + "/hangup")
                        .json()
                        .get("end_reason")
                        .asString())
                .isEqualTo("hangup_api");
    }

    @Test
    void transferReachesLiveKitAndCompletesTheCallAsTransferred() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        var room = call.get("room_name").asString();

        var response =
                setup.api().post("/calls/" + id + "/transfer", body("to", "tel:+12025550177", "play_dialtone", true));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("transfer_to").asString()).isEqualTo("tel:+12025550177");
        var transfer = LIVEKIT.requests("SIP", "TransferSIPParticipant").getLast();
        var request = transfer.bodyAs(TransferSIPParticipantRequest.class);
        assertThat(request.getRoomName()).isEqualTo(room);
        assertThat(request.getParticipantIdentity()).isEqualTo("sip-" + id);
        assertThat(request.getTransferTo()).isEqualTo("tel:+12025550177");
        assertThat(request.getPlayDialtone()).isTrue();
        assertThat(grants(transfer, "sip")).containsEntry("call", true);
        assertThat(grants(transfer, "video")).containsEntry("roomAdmin", true).containsEntry("room", room);

        deliverWebhooks(); // the callee's leg leaves after the REFER
        var ended = setup.api().get("/calls/" + id).json();
        assertThat(ended.get("status").asString()).isEqualTo("completed");
        assertThat(ended.get("end_reason").asString()).isEqualTo("transferred");
    }

    @Test
    void aRefusedTransferKeepsTheCall() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        LIVEKIT.failNext(
                "SIP",
                "TransferSIPParticipant",
                "resource_exhausted",
                429,
                "twirp error unknown: transfer failed: sip status: 486 (BUSY_HERE)",
                Map.of("sip_status_code", "486", "sip_status", "Busy Here"));

        var response = setup.api().post("/calls/" + id + "/transfer", body("to", "sip:queue@pbx.example.com"));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().get("code").asString()).isEqualTo("TRANSFER_FAILED");
        assertThat(response.json().get("sip_status_code").asInt()).isEqualTo(486);
        var still = setup.api().get("/calls/" + id).json();
        assertThat(still.get("status").asString()).isEqualTo("in_progress");
        assertThat(still.get("transfer_to").isNull()).isTrue();
    }

    @Test
    void transferNeedsAnAnsweredCallAndAValidTarget() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        for (var bad : new String[] {"+12025550177", "tel:12025550177", "sip:nohost", "http://x", ""}) {
            var response = setup.api().post("/calls/" + id + "/transfer", body("to", bad));
            assertThat(response.status()).as(bad).isEqualTo(422);
            assertThat(response.json().get("errors").get(0).get("field").asString())
                    .isEqualTo("to");
        }
        LIVEKIT.onDial("+12025550101", DialScript.sipFailure(486, "Busy Here"));
        var busy = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", "+12025550101", "wait_until_answered", true))
                .json();
        var ended = setup.api()
                .post("/calls/" + busy.get("call_id").asString() + "/transfer", body("to", "tel:+12025550177"));
        assertThat(ended.status()).isEqualTo(409);
        assertThat(ended.json().get("code").asString()).isEqualTo("CALL_ALREADY_ENDED");
    }

    @Test
    void callsCanBeListedAndFiltered() {
        var setup = newSetup();
        var start = Instant.now().minusSeconds(1);
        var answered = answeredCall(setup, TO);
        LIVEKIT.onDial("+12025550101", DialScript.sipFailure(486, "Busy Here"));
        var busy = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", "+12025550101", "wait_until_answered", true))
                .json();
        var other = create(
                setup.api(), "/agents", Map.of("name", "Other", "architecture", "realtime", "livekit_agent_name", "o"));
        var third = answeredCall(
                setup,
                "+12025550124",
                "from_number",
                setup.fromNumber(),
                "agent_id",
                other.get("id").asString());

        var all = setup.api().get("/calls").json();
        assertThat(ids(all))
                .containsExactly(
                        third.get("id").asString(),
                        busy.get("call_id").asString(),
                        answered.get("id").asString());
        assertThat(ids(setup.api().get("/calls?status=busy").json()))
                .containsExactly(busy.get("call_id").asString());
        assertThat(ids(setup.api()
                        .get("/calls?status=in_progress,busy&agent_id=" + setup.agentId())
                        .json()))
                .containsExactly(
                        busy.get("call_id").asString(), answered.get("id").asString());
        assertThat(ids(setup.api().get("/calls?to_number=%2B12025550124").json()))
                .containsExactly(third.get("id").asString());
        assertThat(ids(setup.api()
                        .get("/calls?created_after=" + start + "&limit=1")
                        .json()))
                .hasSize(1);
        assertThat(ids(setup.api().get("/calls?created_before=" + start).json()))
                .isEmpty();

        assertThat(setup.api().get("/calls?status=ringing_loudly").status()).isEqualTo(400);
        assertThat(setup.api()
                        .get("/calls?created_after=yesterday")
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("INVALID_PARAMETER");
        assertThat(setup.api().get("/calls?to_number=12025550124").status()).isEqualTo(400);
        assertThat(setup.api().get("/calls?agent_id=nope").status()).isEqualTo(400);
    }

    private static java.util.List<String> ids(tools.jackson.databind.JsonNode page) {
        return page.get("data").valueStream().map(c -> c.get("id").asString()).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> grants(RecordedRequest request, String claim) {
        var value = request.jwtClaims().get(claim);
        return value == null ? Map.of() : (Map<String, Object>) value;
    }
}
