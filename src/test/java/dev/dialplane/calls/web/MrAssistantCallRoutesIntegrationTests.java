package dev.dialplane.calls.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import livekit.LivekitSip.TransferSIPParticipantRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * MrAssistant's call routes around {@code POST /calls/outbound}: its names on the call resource,
 * End Call at {@code /end}, its transfer body, and the list of one agent's calls.
 */
class MrAssistantCallRoutesIntegrationTests extends LiveKitIntegrationTest {

    // ---- GET /calls/{id}

    @Test
    void theCallCarriesMrAssistantsNames() {
        var setup = newSetup();
        var call = answeredCall(setup, uniqueNumber());

        assertThat(call.get("call_id").asString()).isEqualTo(call.get("id").asString());
        assertThat(call.get("tenant_id").asString()).isEqualTo(setup.org().id().toString());
        assertThat(call.get("started_at").asString())
                .isEqualTo(call.get("created_at").asString());
        assertThat(call.get("recording_url").isNull()).isTrue();
        assertThat(call.get("ended_at").isNull()).isTrue();
        assertThat(call.get("duration_seconds").isNull()).isTrue();

        var ended = setup.api().post("/calls/" + call.get("id").asString() + "/end");
        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
        assertThat(ended.json().get("ended_at").isNull()).isFalse();
        assertThat(ended.json().get("duration_seconds").isIntegralNumber()).isTrue();
        assertThat(ended.json().get("started_at").asString())
                .isEqualTo(call.get("created_at").asString());
    }

    @Test
    void aRecordedCallsRecordingUrlIsItsLocation() {
        var setup = newSetup();
        var call = answeredCall(setup, uniqueNumber(), "record", true);
        var id = call.get("id").asString();
        assertThat(call.get("recording_url").isNull()).isTrue();
        deliverWebhooks();
        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        deliverWebhooks(); // the egress ends and LiveKit reports where the file is

        var recorded = awaitRecording(setup.api(), id);
        assertThat(recorded.get("recording_url").asString())
                .isNotBlank()
                .isEqualTo(recorded.get("recording").get("location").asString());
    }

    // ---- POST /calls/{id}/end

    @Test
    void endIsHangUp() {
        var setup = newSetup();
        var to = uniqueNumber();
        var held = LIVEKIT.onDial(to, DialScript.holdUntilReleased());
        var placed = setup.api()
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", to))
                .json();
        held.awaitDialed(WAIT);
        var id = placed.get("call_id").asString();

        var canceled = setup.api().post("/calls/" + id + "/end");
        assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);
        assertThat(canceled.json().get("status").asString()).isEqualTo("canceled");
        assertThat(canceled.json().get("end_reason").asString()).isEqualTo("hangup_api");

        var again = setup.api().post("/calls/" + id + "/end");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asString()).isEqualTo("CALL_ALREADY_ENDED");
        var unknown = setup.api().post("/calls/6f1c8a52-3c1e-4b8e-9d0a-1f2e3d4c5b6a/end");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asString()).isEqualTo("CALL_NOT_FOUND");
        var elsewhere = newOrganization().api().post("/calls/" + id + "/end");
        assertThat(elsewhere.status()).isEqualTo(404);

        var live = answeredCall(setup, uniqueNumber());
        LIVEKIT.failNext("RoomService", "DeleteRoom", "unavailable", 503, "no response from servers");
        var down = setup.api().post("/calls/" + live.get("id").asString() + "/end");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().get("code").asString()).isEqualTo("TELEPHONY_UNAVAILABLE");
        var completed = setup.api().post("/calls/" + live.get("id").asString() + "/end");
        assertThat(completed.json().get("status").asString()).isEqualTo("completed");
    }

    // ---- POST /calls/{id}/transfer

    @Test
    void transferToTelReachesLiveKitWithoutADialtoneByDefault() {
        var setup = newSetup();
        var call = answeredCall(setup, uniqueNumber());
        var id = call.get("id").asString();

        var response = setup.api().post("/calls/" + id + "/transfer", body("transfer_to", "tel:+12025550177"));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("transfer_to").asString()).isEqualTo("tel:+12025550177");
        var request = lastTransfer(call);
        assertThat(request.getTransferTo()).isEqualTo("tel:+12025550177");
        assertThat(request.getPlayDialtone()).isFalse();
        assertThat(request.getParticipantIdentity()).isEqualTo("sip-" + id);
        deliverWebhooks();
        var ended = setup.api().get("/calls/" + id).json();
        assertThat(ended.get("status").asString()).isEqualTo("completed");
        assertThat(ended.get("end_reason").asString()).isEqualTo("transferred");
    }

    @Test
    void transferToASipUriWithADialtone() {
        var setup = newSetup();
        var call = answeredCall(setup, uniqueNumber());

        var response = setup.api()
                .post(
                        "/calls/" + call.get("id").asString() + "/transfer",
                        body(
                                "transfer_to",
                                "sip:support@pbx.example.com",
                                "transfer_type",
                                "cold",
                                "play_dialtone",
                                true));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var request = lastTransfer(call);
        assertThat(request.getTransferTo()).isEqualTo("sip:support@pbx.example.com");
        assertThat(request.getPlayDialtone()).isTrue();
    }

    @Test
    void transferToASipUriWhoseUserIsANumber() {
        var setup = newSetup();
        var call = answeredCall(setup, uniqueNumber());

        var response = setup.api()
                .post(
                        "/calls/" + call.get("id").asString() + "/transfer",
                        body("transfer_to", "sip:+442071838750@sip.carrier.example:5060", "play_dialtone", false));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var request = lastTransfer(call);
        assertThat(request.getTransferTo()).isEqualTo("sip:+442071838750@sip.carrier.example:5060");
        assertThat(request.getPlayDialtone()).isFalse();
    }

    @Test
    void transferStillTakesToAndBothWhenTheyAgree() {
        var setup = newSetup();
        var call = answeredCall(setup, uniqueNumber());

        var response = setup.api()
                .post(
                        "/calls/" + call.get("id").asString() + "/transfer",
                        body("to", "tel:+12025550178", "transfer_to", "tel:+12025550178", "play_dialtone", true));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var request = lastTransfer(call);
        assertThat(request.getTransferTo()).isEqualTo("tel:+12025550178");
        assertThat(request.getPlayDialtone()).isTrue();
    }

    @Test
    void badTransferBodiesAre422NamingTheFieldAndReachNobody() {
        var setup = newSetup();
        var call = answeredCall(setup, uniqueNumber());
        var path = "/calls/" + call.get("id").asString() + "/transfer";
        var transfersBefore = LIVEKIT.requests("SIP", "TransferSIPParticipant").size();
        var cases = List.<Map.Entry<Map<String, Object>, String>>of(
                Map.entry(body(), "transfer_to"),
                Map.entry(body("play_dialtone", true), "transfer_to"),
                Map.entry(body("transfer_to", "+12025550177"), "transfer_to"),
                Map.entry(body("transfer_to", "tel:12025550177"), "transfer_to"),
                Map.entry(body("transfer_to", "tel:+1202"), "transfer_to"),
                Map.entry(body("transfer_to", "sip:+1202@pbx.example.com"), "transfer_to"),
                Map.entry(body("transfer_to", "sip:+12025550177"), "transfer_to"),
                Map.entry(body("transfer_to", "sip:support@"), "transfer_to"),
                Map.entry(body("transfer_to", "sip:support@-pbx.example.com"), "transfer_to"),
                Map.entry(body("transfer_to", "sips:support@pbx.example.com"), "transfer_to"),
                Map.entry(body("transfer_to", "sip:sup port@pbx.example.com"), "transfer_to"),
                Map.entry(body("transfer_to", "http://pbx.example.com"), "transfer_to"),
                Map.entry(body("transfer_to", "tel:+12025550177\r\nX: y"), "transfer_to"),
                Map.entry(body("transfer_to", ""), "transfer_to"),
                Map.entry(body("transfer_to", "tel:+" + "1".repeat(400)), "transfer_to"),
                Map.entry(body("transfer_to", "tel:+12025550177", "to", "tel:+12025550178"), "transfer_to"),
                Map.entry(body("to", "sip:nohost"), "to"),
                Map.entry(body("transfer_to", "tel:+12025550177", "transfer_type", "hot"), "transfer_type"),
                Map.entry(body("transfer_to", "tel:+12025550177", "transfer_type", "COLD"), "transfer_type"),
                Map.entry(body("transfer_to", "tel:+12025550177", "play_dialtone", "yes"), "play_dialtone"));
        for (var bad : cases) {
            var response = setup.api().post(path, bad.getKey());
            assertThat(response.status()).as(bad.getKey() + " → " + response).isEqualTo(422);
            assertThat(response.json().get("code").asString()).isEqualTo("VALIDATION_FAILED");
            assertThat(fields(response.json())).as(bad.getKey().toString()).contains(bad.getValue());
            assertThat(response.json().get("detail").isArray())
                    .as("FastAPI's list, as on MrAssistant's other routes")
                    .isTrue();
        }
        assertThat(LIVEKIT.requests("SIP", "TransferSIPParticipant")).hasSize(transfersBefore);
        assertThat(setup.api()
                        .get("/calls/" + call.get("id").asString())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("in_progress");
    }

    @Test
    void aWarmTransferIsRefusedSayingWhyAndWhatToDoInstead() {
        var setup = newSetup();
        var call = answeredCall(setup, uniqueNumber());
        var id = call.get("id").asString();
        var transfersBefore = LIVEKIT.requests("SIP", "TransferSIPParticipant").size();

        var response = setup.api()
                .post(
                        "/calls/" + id + "/transfer",
                        body("transfer_to", "tel:+12025550177", "transfer_type", "warm", "play_dialtone", true));

        assertThat(response.status()).as(response.text()).isEqualTo(422);
        assertThat(response.json().get("code").asString()).isEqualTo("WARM_TRANSFER_NOT_SUPPORTED");
        assertThat(response.json().get("detail").asString()).contains("consultation room", "agent", "LiveKit", "cold");
        assertThat(LIVEKIT.requests("SIP", "TransferSIPParticipant")).hasSize(transfersBefore);
        var still = setup.api().get("/calls/" + id).json();
        assertThat(still.get("status").asString()).isEqualTo("in_progress");
        assertThat(still.get("transfer_to").isNull()).isTrue();
    }

    @Test
    void aTransferOfACallNotAnsweredOrEndedIs409() {
        var setup = newSetup();
        var to = uniqueNumber();
        LIVEKIT.onDial(to, DialScript.sipFailure(486, "Busy Here"));
        var busy = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", to, "wait_until_answered", true))
                .json();
        var ended = setup.api()
                .post(
                        "/calls/" + busy.get("call_id").asString() + "/transfer",
                        body("transfer_to", "tel:+12025550177"));
        assertThat(ended.status()).isEqualTo(409);
        assertThat(ended.json().get("code").asString()).isEqualTo("CALL_ALREADY_ENDED");

        var scheduled = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                uniqueNumber(),
                                "schedule_at",
                                Instant.now().plus(Duration.ofDays(1)).toString()))
                .json();
        var early = setup.api()
                .post(
                        "/calls/" + scheduled.get("call_id").asString() + "/transfer",
                        body("transfer_to", "sip:support@pbx.example.com"));
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("code").asString()).isEqualTo("CALL_NOT_ANSWERED");
    }

    // ---- GET /calls/agent/{agent_id}/calls

    @Test
    void anAgentsCallsPageByOffsetNewestFirstWithTheirTotal() {
        var setup = newSetup();
        var first = answeredCall(setup, uniqueNumber());
        var second = answeredCall(setup, uniqueNumber());
        var third = answeredCall(setup, uniqueNumber());
        var other = create(
                setup.api(), "/agents", Map.of("name", "Other", "architecture", "realtime", "livekit_agent_name", "o"));
        answeredCall(setup, uniqueNumber(), "agent_id", other.get("id").asString(), "from_number", setup.fromNumber());
        var path = "/calls/agent/" + setup.agentId() + "/calls";

        var all = setup.api().get(path);
        assertThat(all.status()).as(all.text()).isEqualTo(200);
        assertThat(all.json().propertyNames()).containsExactly("agent_id", "calls", "total", "limit", "offset");
        assertThat(ids(all.json())).containsExactly(callId(third), callId(second), callId(first));
        assertThat(all.json().get("total").asLong()).isEqualTo(3);
        assertThat(all.json().get("limit").asInt()).isEqualTo(100);
        assertThat(all.json().get("offset").asInt()).isZero();
        assertThat(all.json().get("agent_id").asString())
                .isEqualTo(setup.agentId().toString());
        // each item is the call as GET /calls/{id} shows it
        assertThat(all.json().get("calls").get(0))
                .isEqualTo(setup.api().get("/calls/" + callId(third)).json());

        var page = setup.api().get(path + "?limit=2&offset=1").json();
        assertThat(ids(page)).containsExactly(callId(second), callId(first));
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(ids(setup.api().get(path + "?limit=2&offset=2").json())).containsExactly(callId(first));
        var past = setup.api().get(path + "?offset=3").json();
        assertThat(ids(past)).isEmpty();
        assertThat(past.get("total").asLong()).isEqualTo(3);

        assertThat(ids(setup.api().get(path + "?direction=outbound").json())).hasSize(3);
        var inbound = setup.api().get(path + "?direction=inbound").json();
        assertThat(ids(inbound)).isEmpty();
        assertThat(inbound.get("total").asLong()).isZero();
        assertThat(ids(setup.api()
                        .get("/calls/agent/" + other.get("id").asString() + "/calls")
                        .json()))
                .hasSize(1);
    }

    @Test
    void statusFilterTakesMrAssistantsStatuses() {
        var setup = newSetup();
        var answered = answeredCall(setup, uniqueNumber());
        var ended = answeredCall(setup, uniqueNumber());
        setup.api().post("/calls/" + callId(ended) + "/end");
        var to = uniqueNumber();
        LIVEKIT.onDial(to, DialScript.sipFailure(486, "Busy Here"));
        var busy = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", to, "wait_until_answered", true))
                .json()
                .get("call_id")
                .asString();
        var scheduled = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                uniqueNumber(),
                                "schedule_at",
                                Instant.now().plus(Duration.ofDays(1)).toString()))
                .json()
                .get("call_id")
                .asString();
        var path = "/calls/agent/" + setup.agentId() + "/calls?status_filter=";

        assertThat(ids(setup.api().get(path + "answered").json())).containsExactly(callId(answered));
        assertThat(ids(setup.api().get(path + "ended").json())).containsExactly(callId(ended));
        assertThat(ids(setup.api().get(path + "failed").json())).containsExactly(busy);
        assertThat(ids(setup.api().get(path + "initiated").json())).containsExactly(scheduled);
        assertThat(ids(setup.api().get(path + "ringing").json())).isEmpty();
        var answeredPage = setup.api().get(path + "ANSWERED&limit=1").json();
        assertThat(answeredPage.get("total").asLong()).isEqualTo(1);
    }

    @Test
    void datesBoundTheCallsStartedAt() {
        var setup = newSetup();
        var first = answeredCall(setup, uniqueNumber());
        clock.advance(Duration.ofDays(2));
        var second = answeredCall(setup, uniqueNumber());
        clock.advance(Duration.ofDays(2));
        var third = answeredCall(setup, uniqueNumber());
        var path = "/calls/agent/" + setup.agentId() + "/calls?";
        var secondAt = Instant.parse(second.get("started_at").asString());
        var secondDay = secondAt.atZone(ZoneOffset.UTC).toLocalDate();

        // a date-time: start inclusive, end exclusive
        assertThat(ids(setup.api().get(path + "start_date=" + secondAt).json()))
                .containsExactly(callId(third), callId(second));
        assertThat(ids(setup.api().get(path + "end_date=" + secondAt).json())).containsExactly(callId(first));
        // a date: from its midnight (UTC); as an end, the whole day is included
        assertThat(ids(setup.api().get(path + "start_date=" + secondDay).json()))
                .containsExactly(callId(third), callId(second));
        assertThat(ids(setup.api().get(path + "end_date=" + secondDay).json()))
                .containsExactly(callId(second), callId(first));
        assertThat(ids(setup.api()
                        .get(path + "start_date=" + secondDay + "&end_date=" + secondDay)
                        .json()))
                .containsExactly(callId(second));
        // an offset (its '+' encoded, or sent bare and read back from the space it became) and no offset (UTC)
        var local = secondAt.atOffset(ZoneOffset.ofHours(2));
        assertThat(ids(setup.api()
                        .get(path + "start_date=" + local.toString().replace("+", "%2B"))
                        .json()))
                .containsExactly(callId(third), callId(second));
        assertThat(ids(setup.api().get(path + "start_date=" + local).json()))
                .containsExactly(callId(third), callId(second));
        assertThat(ids(setup.api()
                        .get(path + "end_date="
                                + secondAt.atOffset(ZoneOffset.UTC).toLocalDateTime())
                        .json()))
                .containsExactly(callId(first));
        var counted =
                setup.api().get(path + "start_date=" + secondDay + "&limit=1").json();
        assertThat(counted.get("total").asLong()).isEqualTo(2);
    }

    @Test
    void badParametersAre400NamingTheParameterAndAnotherOrganizationsAgentIs404() {
        var setup = newSetup();
        var path = "/calls/agent/" + setup.agentId() + "/calls?";
        for (var bad : List.of(
                "limit=0",
                "limit=501",
                "limit=abc",
                "offset=-1",
                "offset=99999999999999999999",
                "direction=sideways",
                "status_filter=in_progress",
                "status_filter=answered,ended",
                "start_date=yesterday",
                "end_date=2026-13-01",
                "start_date=%2B999999999-01-01T00:00:00Z",
                "start_date=0000-12-31")) {
            var response = setup.api().get(path + bad);
            assertThat(response.status()).as(bad + " → " + response).isEqualTo(400);
            var name = bad.substring(0, bad.indexOf('='));
            assertThat(response.json().get("code").asString()).isIn("INVALID_PARAMETER", "INVALID_LIMIT");
            assertThat(response.json().get("detail").asString()).as(bad).contains(name);
        }
        assertThat(setup.api().get("/calls/agent/nope/calls").status()).isEqualTo(400);

        var stranger = newSetup();
        var elsewhere = setup.api().get("/calls/agent/" + stranger.agentId() + "/calls");
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.json().get("code").asString()).isEqualTo("AGENT_NOT_FOUND");
        var unknown = setup.api().get("/calls/agent/6f1c8a52-3c1e-4b8e-9d0a-1f2e3d4c5b6a/calls?direction=inbound");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asString()).isEqualTo("AGENT_NOT_FOUND");
    }

    private static String callId(JsonNode call) {
        return call.get("id").asString();
    }

    private static List<String> ids(JsonNode page) {
        return page.get("calls").valueStream().map(c -> c.get("id").asString()).toList();
    }

    private static TransferSIPParticipantRequest lastTransfer(JsonNode call) {
        var transfers = requestsFor(
                "SIP", "TransferSIPParticipant", call.get("room_name").asString());
        assertThat(transfers).hasSize(1);
        return transfers.getFirst().bodyAs(TransferSIPParticipantRequest.class);
    }

    private static JsonNode awaitRecording(dev.dialplane.support.Api api, String id) {
        var holder = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
            holder[0] = api.get("/calls/" + id).json();
            return !holder[0].get("recording_url").isNull();
        });
        return holder[0];
    }
}
