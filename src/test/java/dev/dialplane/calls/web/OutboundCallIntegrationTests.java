package dev.dialplane.calls.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.fakelivekit.RecordedRequest;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.List;
import java.util.Map;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import livekit.LivekitRoom.CreateRoomRequest;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.SIPMediaEncryption;
import livekit.LivekitSip.SIPTransport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /calls/outbound} as the MrAssistant seed describes it, and what reaches LiveKit. */
class OutboundCallIntegrationTests extends LiveKitIntegrationTest {

    private static final String TO = "+12025550123";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void defaultsReachLiveKitInOrderWithMinimalGrants() {
        var setup = newSetup();
        var trunkPassword = setup.api().get("/sip-trunks/" + setup.trunkId()).json();
        assertThat(trunkPassword.has("password")).isFalse();

        var response = setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", TO));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var call = response.json();
        assertThat(call.propertyNames())
                .containsExactly(
                        "call_id",
                        "session_id",
                        "room_name",
                        "agent_id",
                        "direction",
                        "from_number",
                        "to_number",
                        "status",
                        "recording",
                        "callee_timezones",
                        "callee_local_time");
        assertThat(call.get("direction").asString()).isEqualTo("outbound");
        assertThat(call.get("status").asString()).isEqualTo("dialing");
        assertThat(call.get("session_id").asString())
                .isEqualTo(call.get("call_id").asString());
        assertThat(call.get("from_number").asString()).isEqualTo(setup.fromNumber());
        var callId = call.get("call_id").asString();
        var room = call.get("room_name").asString();
        awaitCall(setup.api(), callId, "in_progress");

        var createRoom = single("RoomService", "CreateRoom", room);
        var dispatch = single("AgentDispatchService", "CreateDispatch", room);
        var dial = dialedOnce(room);
        assertThat(List.of(createRoom.receivedAt(), dispatch.receivedAt(), dial.receivedAt()))
                .isSorted();

        assertThat(grants(createRoom, "video")).containsEntry("roomCreate", true);
        assertThat(grants(createRoom, "sip")).doesNotContainValue(true);
        assertThat(grants(dispatch, "video")).containsEntry("roomAdmin", true).containsEntry("room", room);
        assertThat(grants(dispatch, "video")).doesNotContainKeys("roomCreate", "roomRecord");
        assertThat(grants(dial, "sip")).containsEntry("call", true).doesNotContainEntry("admin", true);
        assertThat(grants(dial, "video")).doesNotContainValue(true);

        var metadata =
                JSON.readTree(dispatch.bodyAs(CreateAgentDispatchRequest.class).getMetadata());
        assertThat(dispatch.bodyAs(CreateAgentDispatchRequest.class).getAgentName())
                .isEqualTo("sales-agent");
        assertThat(metadata.get("call_id").asString()).isEqualTo(callId);
        assertThat(metadata.get("from_number").asString()).isEqualTo(setup.fromNumber());
        assertThat(metadata.get("to_number").asString()).isEqualTo(TO);
        assertThat(metadata.get("context").isObject()).isTrue();
        assertThat(JSON.readTree(createRoom.bodyAs(CreateRoomRequest.class).getMetadata())
                        .get("call_id")
                        .asString())
                .isEqualTo(callId);

        var request = dial.bodyAs(CreateSIPParticipantRequest.class);
        assertThat(request.getSipCallTo()).isEqualTo(TO);
        assertThat(request.getSipNumber()).isEqualTo(setup.fromNumber());
        assertThat(request.getRoomName()).isEqualTo(room);
        assertThat(request.getParticipantIdentity()).isEqualTo("sip-" + callId);
        assertThat(request.getParticipantAttributesMap()).containsEntry("dialplane.call_id", callId);
        assertThat(request.getSipTrunkId()).isEmpty();
        assertThat(request.getTrunk().getHostname()).isEqualTo("sip.carrier.example:5060");
        assertThat(request.getTrunk().getTransport()).isEqualTo(SIPTransport.SIP_TRANSPORT_TCP);
        assertThat(request.getTrunk().getAuthUsername()).isEqualTo("acct-7");
        assertThat(request.getTrunk().getAuthPassword()).startsWith("trunk-pass-");
        assertThat(request.getTrunk().getDestinationCountry()).isEqualTo("US");
        assertThat(request.getKrispEnabled()).isTrue();
        assertThat(request.getMediaEncryption()).isEqualTo(SIPMediaEncryption.SIP_MEDIA_ENCRYPT_ALLOW);
        assertThat(request.getRingingTimeout().getSeconds()).isEqualTo(80);
        assertThat(request.getMaxCallDuration().getSeconds()).isEqualTo(3600);
        assertThat(request.getWaitUntilAnswered()).isTrue();
        assertThat(request.getPlayDialtone()).isFalse();
        assertThat(request.getHidePhoneNumber()).isFalse();
        assertThat(request.hasDisplayName()).isFalse();
        assertThat(request.getDtmf()).isEmpty();
        assertThat(request.getHeadersMap()).isEmpty();
        // LiveKit's own 80 s deadline would cut an 80 s ringing timeout; Dialplane sends a longer one
        assertThat(dial.twirpTimeoutMs())
                .hasValueSatisfying(ms -> assertThat(ms).isGreaterThan(80_000));
        assertThat(dial.contentType()).isEqualTo("application/protobuf");
    }

    @Test
    void everyOptionReachesLiveKit() {
        var setup = newSetup();
        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                "+1 202 555 0123",
                                "from_number",
                                "+1 202 555 " + setup.fromNumber().substring(8),
                                "context",
                                Map.of("customer", Map.of("name", "Ada", "tier", 3)),
                                "priority",
                                "urgent",
                                "krisp_enabled",
                                false,
                                "display_name",
                                "Acme Support",
                                "dtmf",
                                "*123#ww456A",
                                "play_dialtone",
                                true,
                                "media_encryption",
                                "REQUIRE",
                                "ringing_timeout_seconds",
                                30,
                                "max_call_duration_seconds",
                                600,
                                "hide_phone_number",
                                true,
                                "custom_headers",
                                Map.of("X-Customer-Id", "c-42", "x-campaign", "spring")));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var callId = response.json().get("call_id").asString();
        assertThat(response.json().get("to_number").asString()).isEqualTo(TO);
        awaitCall(setup.api(), callId, "in_progress");
        var dial = dialedOnce(response.json().get("room_name").asString());
        var request = dial.bodyAs(CreateSIPParticipantRequest.class);

        assertThat(request.getSipCallTo()).isEqualTo(TO);
        assertThat(request.getKrispEnabled()).isFalse();
        assertThat(request.getDisplayName()).isEqualTo("Acme Support");
        assertThat(request.getDtmf()).isEqualTo("*123#ww456a");
        assertThat(request.getPlayDialtone()).isTrue();
        assertThat(request.getMediaEncryption()).isEqualTo(SIPMediaEncryption.SIP_MEDIA_ENCRYPT_REQUIRE);
        assertThat(request.getRingingTimeout().getSeconds()).isEqualTo(30);
        assertThat(request.getMaxCallDuration().getSeconds()).isEqualTo(600);
        assertThat(request.getHidePhoneNumber()).isTrue();
        assertThat(request.getParticipantName()).isEqualTo("Callee");
        assertThat(request.getHeadersMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of("X-Customer-Id", "c-42", "x-campaign", "spring"));
        // ringing + 0.5 s per DTMF symbol + margin
        assertThat(dial.twirpTimeoutMs())
                .hasValueSatisfying(ms -> assertThat(ms).isGreaterThan(30_000 + 11 * 500));

        var dispatch = single("AgentDispatchService", "CreateDispatch", request.getRoomName());
        var context = JSON.readTree(
                        dispatch.bodyAs(CreateAgentDispatchRequest.class).getMetadata())
                .get("context");
        assertThat(context.get("customer").get("name").asString()).isEqualTo("Ada");
        assertThat(context.get("customer").get("tier").asInt()).isEqualTo(3);
        assertThat(setup.api().get("/calls/" + callId).json().get("priority").asString())
                .isEqualTo("urgent");
    }

    @Test
    void withoutWaitingTheCallIsDialingUntilAnswered() {
        var setup = newSetup();
        var held = LIVEKIT.onDial(TO, DialScript.holdUntilReleased());

        var response = setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", TO));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("dialing");
        held.awaitDialed(WAIT);
        var callId = response.json().get("call_id").asString();
        assertThat(setup.api().get("/calls/" + callId).json().get("status").asString())
                .isEqualTo("dialing");
        // LiveKit has no ringing event: Dialplane reads sip.callStatus while the phone rings
        awaitCall(setup.api(), callId, "ringing");
        var watch =
                requestsFor("RoomService", "GetParticipant", held.roomName()).getFirst();
        assertThat(grants(watch, "video")).containsEntry("roomAdmin", true).containsEntry("room", held.roomName());
        held.answer();
        var answered = awaitCall(setup.api(), callId, "in_progress");
        assertThat(answered.get("answered_at").isNull()).isFalse();
        var events = setup.api().get("/calls/" + callId + "/events").json().get("data");
        assertThat(events)
                .extracting(e -> e.get("status").asString())
                .containsExactly("queued", "dialing", "ringing", "in_progress");
    }

    @Test
    void waitingReturnsTheAnsweredCall() {
        var setup = newSetup();
        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", TO, "wait_until_answered", true));

        assertThat(response.status()).isEqualTo(200);
        var call = response.json();
        assertThat(call.get("status").asString()).isEqualTo("in_progress");
        assertThat(call.get("sip_status_code").asInt()).isEqualTo(200);
        assertThat(call.has("end_reason")).isFalse();
    }

    @Test
    void waitingReturnsEveryUnansweredOutcome() {
        var setup = newSetup();
        assertOutcome(setup, "+12025550101", DialScript.sipFailure(486, "Busy Here"), "busy", "busy", 486);
        assertOutcome(setup, "+12025550102", DialScript.ringingTimeout(), "no_answer", "no_answer", null);
        assertOutcome(setup, "+12025550103", DialScript.sipFailure(603, "Decline"), "failed", "declined", 603);
        assertOutcome(setup, "+12025550104", DialScript.sipFailure(404, "Not Found"), "failed", "invalid_number", 404);
        assertOutcome(
                setup,
                "+12025550105",
                DialScript.sipFailure(500, "Server Internal Error"),
                "failed",
                "carrier_error",
                500);
        assertOutcome(setup, "+12025550106", DialScript.authFailure(), "failed", "trunk_auth_failed", null);
        assertOutcome(setup, "+12025550107", DialScript.unavailable(), "failed", "livekit_unavailable", null);
    }

    @Test
    void storedLiveKitTrunkIsUsedInsteadOfInlineOne() {
        var setup = newSetup();
        LIVEKIT.registerTrunk("ST_stored1");
        setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("livekit_trunk_id", "ST_stored1"));

        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", TO, "wait_until_answered", true));

        assertThat(response.json().get("status").asString()).isEqualTo("in_progress");
        var request = dialedOnce(response.json().get("room_name").asString()).bodyAs(CreateSIPParticipantRequest.class);
        assertThat(request.getSipTrunkId()).isEqualTo("ST_stored1");
        assertThat(request.hasTrunk()).isFalse();
        assertThat(request.getSipNumber()).isEqualTo(setup.fromNumber());
    }

    @Test
    void unknownStoredTrunkFailsTheCallTruthfully() {
        var setup = newSetup();
        setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("livekit_trunk_id", "ST_missing"));

        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", TO, "wait_until_answered", true));

        var call = response.json();
        assertThat(call.get("status").asString()).isEqualTo("failed");
        assertThat(call.get("end_reason").asString()).isEqualTo("livekit_rejected");
        var stored = setup.api().get("/calls/" + call.get("call_id").asString()).json();
        assertThat(stored.get("error_message").asString()).contains("requested sip trunk does not exist");
    }

    @Test
    void everySchemaAndRangeErrorIsListedIn422() {
        var setup = newSetup();
        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                "1-202-555-0123",
                                "from_number",
                                "2025550100",
                                "priority",
                                "asap",
                                "display_name",
                                "x".repeat(129),
                                "dtmf",
                                "12x",
                                "media_encryption",
                                "allow",
                                "ringing_timeout_seconds",
                                81,
                                "max_call_duration_seconds",
                                59,
                                "custom_headers",
                                Map.of("Foo", "bar", "X-Bad Name", "v", "X-Accent", "café")));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        var problem = response.json();
        assertThat(problem.get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(fields(problem))
                .containsExactlyInAnyOrder(
                        "to_number",
                        "from_number",
                        "priority",
                        "display_name",
                        "dtmf",
                        "media_encryption",
                        "ringing_timeout_seconds",
                        "max_call_duration_seconds",
                        "custom_headers.Foo",
                        "custom_headers.X-Bad Name",
                        "custom_headers.X-Accent");
        assertThat(message(problem, "ringing_timeout_seconds")).isEqualTo("must be between 1 and 80");
        assertThat(message(problem, "max_call_duration_seconds")).isEqualTo("must be between 60 and 86400");
        assertThat(message(problem, "to_number")).contains("contains dashes");
        assertThat(message(problem, "custom_headers.Foo")).contains("X-");
        assertNothingReachedLiveKitFor(setup);
    }

    @Test
    void rangeBoundsAreInclusive() {
        var setup = newSetup();
        // a 24 h call holds 24 h of credits while it is live (144 at the default 0.10 per minute)
        admin().post("/admin/organizations/" + setup.org().id() + "/credits", body("amount", 500));
        var low = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                TO,
                                "ringing_timeout_seconds",
                                1,
                                "max_call_duration_seconds",
                                60,
                                "wait_until_answered",
                                true));
        var high = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                "+12025550124",
                                "ringing_timeout_seconds",
                                80,
                                "max_call_duration_seconds",
                                86400,
                                "wait_until_answered",
                                true));
        assertThat(low.status()).as(low.text()).isEqualTo(200);
        assertThat(high.status()).as(high.text()).isEqualTo(200);
        var zero = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", TO, "ringing_timeout_seconds", 0));
        assertThat(fields(zero.json())).containsExactly("ringing_timeout_seconds");
    }

    @Test
    void missingAndMistypedFieldsAre422() {
        var setup = newSetup();
        var missing = setup.api().post("/calls/outbound", Map.of());
        assertThat(missing.status()).isEqualTo(422);
        assertThat(fields(missing.json())).containsExactlyInAnyOrder("agent_id", "to_number");

        var notUuid = setup.api().post("/calls/outbound", body("agent_id", "agent_abc123", "to_number", TO));
        assertThat(notUuid.status()).isEqualTo(422);
        assertThat(message(notUuid.json(), "agent_id")).isEqualTo("must be a UUID");

        var notInteger = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", TO, "ringing_timeout_seconds", 30.5));
        assertThat(notInteger.status()).isEqualTo(422);
        assertThat(fields(notInteger.json())).containsExactly("ringing_timeout_seconds");

        var notObject = setup.api()
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", TO, "context", "vip"));
        assertThat(notObject.status()).isEqualTo(422);
        assertThat(message(notObject.json(), "context")).isEqualTo("must be a JSON object");

        var malformed = setup.api().send("POST", "/calls/outbound", "application/json", "{\"agent_id\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("code").asString()).isEqualTo("MALFORMED_REQUEST");

        var wrongType = setup.api().send("POST", "/calls/outbound", "text/plain", "hello");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.contentType()).startsWith("application/problem+json");
        assertNothingReachedLiveKitFor(setup);
    }

    @Test
    void callerNumberDefaultsToTheAgentsOwnNumber() {
        var setup = newSetup();
        var response = setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", TO));
        assertThat(response.json().get("from_number").asString()).isEqualTo(setup.fromNumber());

        var other = create(
                setup.api(),
                "/agents",
                Map.of("name", "No number", "architecture", "realtime", "livekit_agent_name", "x"));
        var none = setup.api()
                .post("/calls/outbound", body("agent_id", other.get("id").asString(), "to_number", TO));
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().get("code").asString()).isEqualTo("NO_CALLER_NUMBER");

        // an explicit caller number may belong to another agent: the body's agent takes the call
        var explicit = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                other.get("id").asString(),
                                "to_number",
                                TO,
                                "from_number",
                                setup.fromNumber()));
        assertThat(explicit.status()).as(explicit.text()).isEqualTo(200);
        assertThat(explicit.json().get("agent_id").asString())
                .isEqualTo(other.get("id").asString());
        awaitCall(setup.api(), response.json().get("call_id").asString(), "in_progress");
        awaitCall(setup.api(), explicit.json().get("call_id").asString(), "in_progress");
    }

    @Test
    void unknownAgentUnregisteredNumberAndTextAgentAreRefused() {
        var setup = newSetup();
        var unknownAgent = setup.api()
                .post("/calls/outbound", body("agent_id", "3c90c3cc-0d44-4b50-8888-8dd25736052a", "to_number", TO));
        assertThat(unknownAgent.status()).isEqualTo(404);
        assertThat(unknownAgent.json().get("code").asString()).isEqualTo("AGENT_NOT_FOUND");

        var unregistered = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", TO, "from_number", "+12025550177"));
        assertThat(unregistered.status()).isEqualTo(404);
        assertThat(unregistered.json().get("code").asString()).isEqualTo("PHONE_NUMBER_NOT_FOUND");

        var text = create(setup.api(), "/agents", Map.of("name", "Chat", "architecture", "text"));
        var textCall = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                text.get("id").asString(),
                                "to_number",
                                TO,
                                "from_number",
                                setup.fromNumber()));
        assertThat(textCall.status()).isEqualTo(400);
        assertThat(textCall.json().get("code").asString()).isEqualTo("TEXT_AGENT_NOT_SUPPORTED");
        assertNothingReachedLiveKitFor(setup);
    }

    @Test
    void callHistoryRecordsEveryStateChangeInOrder() {
        var setup = newSetup();
        LIVEKIT.onDial(TO, DialScript.sipFailure(486, "Busy Here"));
        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", TO, "wait_until_answered", true));

        var events = setup.api()
                .get("/calls/" + response.json().get("call_id").asString() + "/events")
                .json()
                .get("data");
        assertThat(events).extracting(e -> e.get("status").asString()).containsExactly("queued", "dialing", "busy");
        assertThat(events).extracting(e -> e.get("sequence").asInt()).containsExactly(1, 2, 3);
        assertThat(events.get(2).get("sip_status_code").asInt()).isEqualTo(486);
    }

    private void assertOutcome(
            Setup setup, String to, DialScript script, String status, String endReason, Integer sip) {
        LIVEKIT.onDial(to, script);
        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                to,
                                "wait_until_answered",
                                true,
                                "ringing_timeout_seconds",
                                5));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var call = response.json();
        assertThat(call.get("status").asString()).as(to).isEqualTo(status);
        assertThat(call.get("end_reason").asString()).as(to).isEqualTo(endReason);
        if (sip == null) {
            assertThat(call.has("sip_status_code")).as(to).isFalse();
        } else {
            assertThat(call.get("sip_status_code").asInt()).as(to).isEqualTo(sip);
        }
        var stored = setup.api().get("/calls/" + call.get("call_id").asString()).json();
        assertThat(stored.get("status").asString()).isEqualTo(status);
        assertThat(stored.get("ended_at").isNull()).isFalse();
        dialedOnce(call.get("room_name").asString());
    }

    private static RecordedRequest single(String service, String method, String room) {
        var requests = requestsFor(service, method, room);
        assertThat(requests).as(service + "/" + method).hasSize(1);
        return requests.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> grants(RecordedRequest request, String claim) {
        var value = request.jwtClaims().get(claim);
        return value == null ? Map.of() : (Map<String, Object>) value;
    }
}
