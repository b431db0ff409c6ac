package dev.dialplane.calls.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.Map;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /telephony/outbound-call} as the TalkifAI seed describes it, through LiveKit. */
class TalkifaiCallIntegrationTests extends LiveKitIntegrationTest {

    private static final String TO = "+12025550123";

    @Test
    void answeredCallReturnsExactlyTheSeedBody() {
        var setup = newSetup();
        var response = call(setup.api(), TO, setup.fromNumber());

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var body = response.json();
        assertThat(body.propertyNames())
                .containsExactly("success", "message", "room_name", "agent", "from_number", "to_number");
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("message").asString()).isEqualTo("Call initiated successfully");
        assertThat(body.get("agent").get("id").asString())
                .isEqualTo(setup.agentId().toString());
        assertThat(body.get("agent").get("name").asString()).isEqualTo("Sales Agent");
        assertThat(body.get("from_number").asString()).isEqualTo(setup.fromNumber());
        assertThat(body.get("to_number").asString()).isEqualTo(TO);
        var room = body.get("room_name").asString();
        assertThat(room).matches("outbound_" + setup.agentId() + "_12025550123_\\d{10}");

        var call = setup.api().get("/calls/" + response.header("X-Call-Id")).json();
        assertThat(call.get("status").asString()).isEqualTo("in_progress");
        assertThat(call.get("room_name").asString()).isEqualTo(room);
        assertThat(call.get("sip_status_code").asInt()).isEqualTo(200);
        assertThat(response.header("Location")).isEqualTo("/calls/" + response.header("X-Call-Id"));
    }

    @Test
    void ringingTimeoutIsTheConfiguredAnswerTimeout() {
        var setup = newSetup();
        var response = call(setup.api(), TO, setup.fromNumber());
        assertThat(response.status()).isEqualTo(200);

        var dial = dialedOnce(response.json().get("room_name").asString());
        var request = dial.bodyAs(CreateSIPParticipantRequest.class);
        // the answer timeout, less the moments the call took to reach LiveKit: the caller's wait is the limit
        var ringing = java.time.Duration.ofSeconds(
                request.getRingingTimeout().getSeconds(),
                request.getRingingTimeout().getNanos());
        assertThat(ringing).isLessThanOrEqualTo(ANSWER_TIMEOUT).isGreaterThan(ANSWER_TIMEOUT.minusSeconds(1));
        assertThat(request.getWaitUntilAnswered()).isTrue();
        assertThat(dial.twirpTimeoutMs())
                .hasValueSatisfying(ms -> assertThat(ms).isGreaterThan(ANSWER_TIMEOUT.toMillis()));
    }

    @Test
    void unansweredCallIs408AndRecordedAsNoAnswer() {
        var setup = newSetup();
        LIVEKIT.onDial(TO, DialScript.ringingTimeout());

        var response = call(setup.api(), TO, setup.fromNumber());

        assertThat(response.status()).isEqualTo(408);
        assertThat(response.json().propertyNames()).containsExactly("success", "error", "detail", "code");
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("code").asString()).isEqualTo("CALL_TIMEOUT");
        var call = setup.api().get("/calls/" + response.header("X-Call-Id")).json();
        assertThat(call.get("status").asString()).isEqualTo("no_answer");
        assertThat(call.get("end_reason").asString()).isEqualTo("no_answer");
        dialedOnce(call.get("room_name").asString());
    }

    @Test
    void aCalleeStillRingingWhenTheWaitEndsIsHungUp() {
        var setup = newSetup();
        var held = LIVEKIT.onDial(TO, DialScript.holdUntilReleased());

        var response = call(setup.api(), TO, setup.fromNumber());

        // the fake ends a held call at its ringing timeout, as LiveKit does: the caller sees 408
        assertThat(response.status()).isEqualTo(408);
        assertThat(held.awaitEnded(WAIT)).isNotBlank();
        // LiveKit's ringing timeout arrives as HTTP 408, which HTTP clients like to retry: the callee
        // must have been dialed exactly once
        dialedOnce(held.roomName());
        var call = setup.api().get("/calls/" + response.header("X-Call-Id")).json();
        assertThat(call.get("status").asString()).isEqualTo("no_answer");
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @CsvSource({
        "486, Busy Here, 409, CALL_BUSY, busy, busy",
        "600, Busy Everywhere, 409, CALL_BUSY, busy, busy",
        "603, Decline, 409, CALL_DECLINED, failed, declined",
        "404, Not Found, 400, INVALID_DESTINATION, failed, invalid_number",
        "484, Address Incomplete, 400, INVALID_DESTINATION, failed, invalid_number",
        "500, Server Internal Error, 502, CARRIER_ERROR, failed, carrier_error",
        "502, Bad Gateway, 502, CARRIER_ERROR, failed, carrier_error",
        "403, Forbidden, 502, CARRIER_ERROR, failed, trunk_auth_failed",
        "480, Temporarily Unavailable, 408, CALL_TIMEOUT, no_answer, no_answer"
    })
    void sipFailuresMapToTheDialectsErrors(
            int sip, String phrase, int httpStatus, String code, String status, String endReason) {
        var setup = newSetup();
        LIVEKIT.onDial(TO, DialScript.sipFailure(sip, phrase));

        var response = call(setup.api(), TO, setup.fromNumber());

        assertThat(response.status()).as(response.text()).isEqualTo(httpStatus);
        assertThat(response.json().get("code").asString()).isEqualTo(code);
        assertThat(response.json().get("success").asBoolean()).isFalse();
        var call = setup.api().get("/calls/" + response.header("X-Call-Id")).json();
        assertThat(call.get("status").asString()).isEqualTo(status);
        assertThat(call.get("end_reason").asString()).isEqualTo(endReason);
        assertThat(call.get("sip_status_code").asInt()).isEqualTo(sip);
        assertThat(call.get("sip_status").asString()).isEqualTo(phrase);
        dialedOnce(call.get("room_name").asString());
    }

    @Test
    void trunkAuthenticationFailureIsACarrierError() {
        var setup = newSetup();
        LIVEKIT.onDial(TO, DialScript.authFailure());

        var response = call(setup.api(), TO, setup.fromNumber());

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().get("code").asString()).isEqualTo("CARRIER_ERROR");
        var call = setup.api().get("/calls/" + response.header("X-Call-Id")).json();
        assertThat(call.get("end_reason").asString()).isEqualTo("trunk_auth_failed");
        dialedOnce(call.get("room_name").asString());
    }

    @Test
    void liveKitWithoutSipNodesIs503() {
        var setup = newSetup();
        LIVEKIT.onDial(TO, DialScript.unavailable());

        var response = call(setup.api(), TO, setup.fromNumber());

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().get("code").asString()).isEqualTo("TELEPHONY_UNAVAILABLE");
        assertThat(response.header("Retry-After")).isEqualTo("5");
        var call = setup.api().get("/calls/" + response.header("X-Call-Id")).json();
        assertThat(call.get("status").asString()).isEqualTo("failed");
        assertThat(call.get("end_reason").asString()).isEqualTo("livekit_unavailable");
        dialedOnce(call.get("room_name").asString());
    }

    @Test
    void liveKitUnreachableBeforeTheDialForTheWholeWaitIs503AndNothingIsDialed() {
        var setup = newSetup();
        // retried 1 s, then 1 s, then 2 s apart: the third retry would come after the 4 s wait
        for (int i = 0; i < 5; i++) {
            LIVEKIT.failNext("RoomService", "CreateRoom", "unavailable", 503, "no response from servers");
        }

        var response = call(setup.api(), TO, setup.fromNumber());

        assertThat(response.status()).isEqualTo(503);
        var call = setup.api().get("/calls/" + response.header("X-Call-Id")).json();
        assertThat(call.get("end_reason").asString()).isEqualTo("livekit_unavailable");
        assertThat(requestsFor(
                        "SIP", "CreateSIPParticipant", call.get("room_name").asString()))
                .isEmpty();
    }

    @Test
    void numbersMustBeStrictE164() {
        var setup = newSetup();

        var noPlus = call(setup.api(), "2025550123", setup.fromNumber());
        assertThat(noPlus.status()).isEqualTo(400);
        assertThat(noPlus.json().get("code").asString()).isEqualTo("INVALID_PHONE_NUMBER");
        assertThat(noPlus.json().get("error").asString())
                .contains("2025550123")
                .contains("missing the '+' and country code");

        var dashes = call(setup.api(), "1-202-555-0123", setup.fromNumber());
        assertThat(dashes.status()).isEqualTo(400);
        assertThat(dashes.json().get("error").asString()).contains("contains dashes");

        var badFrom = call(setup.api(), TO, "12025550100");
        assertThat(badFrom.status()).isEqualTo(400);
        assertThat(badFrom.json().get("error").asString()).startsWith("from_number");
        assertNothingReachedLiveKitFor(setup);
    }

    @Test
    void anUnencodedPlusInTheQueryIsUnderstood() {
        var setup = newSetup();
        var response =
                setup.api().post("/telephony/outbound-call?to_number=+12025550123&from_number=" + setup.fromNumber());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("to_number").asString()).isEqualTo(TO);
    }

    @Test
    void missingParametersAreExplained() {
        var setup = newSetup();
        var response = setup.api().post("/telephony/outbound-call?to_number=%2B12025550123");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asString()).isEqualTo("MISSING_PARAMETER");
        assertThat(response.json().get("error").asString()).contains("from_number");
    }

    @Test
    void unregisteredCallerNumberIs404() {
        var setup = newSetup();
        var response = call(setup.api(), TO, "+12025550177");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("code").asString()).isEqualTo("PHONE_NUMBER_NOT_FOUND");
    }

    @Test
    void numberWithoutOutboundAgentIs400() {
        var setup = newSetup();
        setup.api().patch("/phone-numbers/" + setup.numberId(), body("outbound_agent_id", null));
        var response = call(setup.api(), TO, setup.fromNumber());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asString()).isEqualTo("NO_OUTBOUND_AGENT");
    }

    @Test
    void textAgentsCannotCall() {
        var setup = newSetup();
        setup.api().patch("/agents/" + setup.agentId(), Map.of("architecture", "text"));
        var response = call(setup.api(), TO, setup.fromNumber());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asString()).isEqualTo("TEXT_AGENT_NOT_SUPPORTED");
        assertNothingReachedLiveKitFor(setup);
    }

    @Test
    void noCreditsIs402() {
        var zero = admin().post("/admin/organizations", Map.of("name", "Broke", "credits", 0))
                .json();
        var broke = anonymous().withKey(zero.get("api_key").asString());
        windowOff(broke);
        var agent =
                create(broke, "/agents", Map.of("name", "A", "architecture", "realtime", "livekit_agent_name", "a"));
        var trunk = create(broke, "/sip-trunks", Map.of("name", "T", "address", "sip.example.com"));
        var number = uniqueNumber();
        create(
                broke,
                "/phone-numbers",
                Map.of(
                        "number",
                        number,
                        "sip_trunk_id",
                        trunk.get("id").asString(),
                        "outbound_agent_id",
                        agent.get("id").asString()));

        var response = call(broke, TO, number);

        assertThat(response.status()).isEqualTo(402);
        assertThat(response.json().get("code").asString()).isEqualTo("INSUFFICIENT_CREDITS");
    }

    @Test
    void missingOrWrongKeyIs401InTheDialectsEnvelope() {
        var response = anonymous().post("/telephony/outbound-call?to_number=%2B12025550123&from_number=%2B12025550100");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("code").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        var wrong = anonymous()
                .withKey("dp_wrong")
                .post("/telephony/outbound-call?to_number=%2B12025550123&from_number=%2B12025550100");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("success").asBoolean()).isFalse();
    }

    private static Api.Response call(Api api, String to, String from) {
        return api.post("/telephony/outbound-call?to_number=" + encode(to) + "&from_number=" + encode(from));
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
