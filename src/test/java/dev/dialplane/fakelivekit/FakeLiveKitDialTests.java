package dev.dialplane.fakelivekit;

import static dev.dialplane.fakelivekit.FakeLiveKitClients.TIMEOUT;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.allGrantsBearer;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.json;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.postJson;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.postProto;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.sipCallBearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.protobuf.Any;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.util.Durations;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.SIPOutboundConfig;
import livekit.LivekitSip.SIPStatus;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dial outcomes: scripted SIP failures (§3.3), held calls and their timeouts (§2.6), and the async mode (§3.2). */
class FakeLiveKitDialTests {

    private static final String CREATE_SIP = "/twirp/livekit.SIP/CreateSIPParticipant";

    private FakeLiveKit fake;

    @BeforeEach
    void start() {
        fake = FakeLiveKit.start();
        fake.registerTrunk("ST_abc");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static CreateSIPParticipantRequest.Builder dial(String number, String room) {
        return CreateSIPParticipantRequest.newBuilder()
                .setSipTrunkId("ST_abc")
                .setSipCallTo(number)
                .setRoomName(room);
    }

    private HttpResponse<String> send(CreateSIPParticipantRequest request, String... headers) {
        return postProto(fake, CREATE_SIP, request, sipCallBearer(fake), headers);
    }

    @ParameterizedTest(name = "SIP {0} -> {2} {3}")
    @CsvSource({
        "486, Busy Here, resource_exhausted, 429, BUSY_HERE, USER_REJECTED",
        "600, Busy Everywhere, resource_exhausted, 429, GLOBAL_BUSY_EVERYWHERE, USER_REJECTED",
        "480, Temporarily Unavailable, resource_exhausted, 429, TEMPORARILY_UNAVAILABLE, USER_UNAVAILABLE",
        "603, Decline, permission_denied, 403, GLOBAL_DECLINE, USER_REJECTED",
        "607, Unwanted, permission_denied, 403, GLOBAL_UNWANTED, USER_REJECTED",
        "608, Rejected, permission_denied, 403, GLOBAL_REJECTED, USER_REJECTED",
        "403, Forbidden, permission_denied, 403, FORBIDDEN, USER_REJECTED",
        "402, Payment Required, permission_denied, 403, PAYMENT_REQUIRED, USER_REJECTED",
        "404, Not Found, not_found, 404, NOTFOUND, USER_UNAVAILABLE",
        "604, Does Not Exist Anywhere, not_found, 404, GLOBAL_DOES_NOT_EXIST_ANYWHERE, USER_REJECTED",
        "408, Request Timeout, deadline_exceeded, 408, REQUEST_TIMEOUT, USER_UNAVAILABLE",
        "504, Server Time-out, deadline_exceeded, 408, GATEWAY_TIMEOUT, CLIENT_INITIATED",
        "487, Request Terminated, aborted, 409, REQUEST_TERMINATED, USER_REJECTED",
        "484, Address Incomplete, invalid_argument, 400, ADDRESS_INCOMPLETE, USER_REJECTED",
        "488, Not Acceptable Here, invalid_argument, 400, NOT_ACCEPTABLE_HERE, USER_REJECTED",
        "500, Server Internal Error, failed_precondition, 412, INTERNAL_SERVER_ERROR, CLIENT_INITIATED",
        "503, CPS limit exceeded, failed_precondition, 412, SERVICE_UNAVAILABLE, USER_REJECTED",
        "301, Moved Permanently, not_found, 404, MOVED_PERMANENTLY, USER_REJECTED",
        "499, Odd, invalid_argument, 400, 499, USER_REJECTED",
        "580, Odder, failed_precondition, 412, 580, CLIENT_INITIATED",
    })
    void scriptedSipFailureHasTheContractsCodeStatusAndMeta(
            int sipCode,
            String reason,
            String twirpCode,
            int httpStatus,
            String shortName,
            DisconnectReason leaveReason)
            throws Exception {
        String number = "+1202555" + sipCode;
        fake.onDial(number, DialScript.sipFailure(sipCode, reason));

        HttpResponse<String> response =
                send(dial(number, "r-" + sipCode).setWaitUntilAnswered(true).build());

        assertThat(response.statusCode()).isEqualTo(httpStatus);
        JsonObject error = json(response);
        assertThat(error.get("code").getAsString()).isEqualTo(twirpCode);
        assertThat(error.get("msg").getAsString())
                .isEqualTo("twirp error unknown: INVITE failed: sip status: " + sipCode + " (" + shortName + ")");
        JsonObject meta = error.getAsJsonObject("meta");
        assertThat(meta.get("sip_status_code").getAsString()).isEqualTo(Integer.toString(sipCode));
        assertThat(meta.get("sip_status").getAsString()).isEqualTo(reason);

        // error_details: google.rpc.Status{code, message, details: [Any(livekit.SIPStatus)]}
        SIPStatus detail = sipStatusFromErrorDetails(meta.get("error_details").getAsString());
        assertThat(detail.getCodeValue()).isEqualTo(sipCode);
        assertThat(detail.getStatus()).isEqualTo(reason);

        WebhookEvent left = fake.webhooks().awaitEvent("participant_left", TIMEOUT);
        assertThat(left.getParticipant().getDisconnectReason()).isEqualTo(leaveReason);
        assertThat(left.getParticipant().getKind()).isEqualTo(ParticipantInfo.Kind.SIP);
        assertThat(fake.participants("r-" + sipCode)).isEmpty();
    }

    @Test
    void failureWithoutReasonPhraseFallsBackToTheEnumName() {
        fake.onDial("+12025550101", DialScript.sipFailure(486));

        JsonObject meta = json(send(
                        dial("+12025550101", "r1").setWaitUntilAnswered(true).build()))
                .getAsJsonObject("meta");

        assertThat(meta.get("sip_status").getAsString()).isEqualTo("SIP_STATUS_BUSY_HERE");
    }

    @Test
    void ringingTimeoutScriptIsCanceledWithoutMeta() {
        fake.onDial("+12025550101", DialScript.ringingTimeout());

        HttpResponse<String> response =
                send(dial("+12025550101", "r1").setWaitUntilAnswered(true).build());

        assertThat(response.statusCode()).isEqualTo(408);
        assertThat(response.body())
                .isEqualTo("{\"code\":\"canceled\",\"msg\":\"twirp error unknown: sip request timed out\"}");
        assertThat(fake.webhooks()
                        .awaitEvent("participant_left", TIMEOUT)
                        .getParticipant()
                        .getDisconnectReason())
                .isEqualTo(DisconnectReason.USER_UNAVAILABLE);
    }

    @Test
    void authFailureScriptIsFailedPreconditionWithoutMeta() {
        fake.onDial("+12025550101", DialScript.authFailure());

        HttpResponse<String> response =
                send(dial("+12025550101", "r1").setWaitUntilAnswered(true).build());

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(response.body())
                .isEqualTo("{\"code\":\"failed_precondition\","
                        + "\"msg\":\"twirp error unknown: max auth retry attempts reached for SIP invite\"}");
    }

    @Test
    void unavailableFailsSynchronouslyBeforeAnyoneJoins() {
        RingingCall call = fake.onDial("+12025550101", DialScript.unavailable());

        HttpResponse<String> response = send(dial("+12025550101", "r1").build());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"code\":\"unavailable\",\"msg\":\"no response from servers\"}");
        assertThat(fake.rooms()).isEmpty();
        assertThat(fake.webhooks().generated()).isEmpty();
        assertThat(call.awaitDialed(TIMEOUT).getSipCallTo()).isEqualTo("+12025550101");
        assertThat(call.isEnded()).isTrue();
    }

    @Test
    void rawTwirpErrorIsReturnedAsGiven() {
        fake.onDial("+12025550101", DialScript.twirpError("internal", 500, "boom", Map.of("k", "v")));

        HttpResponse<String> response =
                send(dial("+12025550101", "r1").setWaitUntilAnswered(true).build());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"code\":\"internal\",\"msg\":\"boom\",\"meta\":{\"k\":\"v\"}}");
    }

    @Test
    void answeredCallJoinsTheRoomWithSipAttributes() {
        var request = dial("+12025550101", "r1")
                .setWaitUntilAnswered(true)
                .setSipNumber("+15550001111")
                .setParticipantName("Callee")
                .putParticipantAttributes("dialplane.callId", "c-1")
                .build();

        HttpResponse<String> response = send(request);

        assertThat(response.statusCode()).isEqualTo(200);
        ParticipantInfo participant = fake.participant("r1", "sip_+12025550101").orElseThrow();
        assertThat(participant.getSid()).startsWith("PA_");
        assertThat(participant.getKind()).isEqualTo(ParticipantInfo.Kind.SIP);
        assertThat(participant.getName()).isEqualTo("Callee");
        assertThat(participant.getAttributesMap())
                .containsEntry("dialplane.callId", "c-1")
                .containsEntry("sip.trunkID", "ST_abc")
                .containsEntry("sip.phoneNumber", "+12025550101")
                .containsEntry("sip.hostname", LiveKitState.DEFAULT_TRUNK_ADDRESS)
                .containsEntry("sip.trunkPhoneNumber", "+15550001111")
                .containsEntry("sip.callStatus", "active")
                .hasEntrySatisfying("sip.callID", id -> assertThat(id).startsWith("SCL_"));
        assertThat(fake.webhooks().pending())
                .extracting(WebhookEvent::getEvent)
                .containsExactly("room_started", "participant_joined");
        assertThat(fake.webhooks().pending().get(1).getParticipant().getAttributesMap())
                .containsEntry("sip.callStatus", "dialing");
    }

    @Test
    void hidePhoneNumberOmitsNumberAttributesAndIdentityCanBeChosen() {
        send(dial("+12025550101", "r1")
                .setHidePhoneNumber(true)
                .setParticipantIdentity("callee")
                .build());

        ParticipantInfo participant = fake.participant("r1", "callee").orElseThrow();
        assertThat(participant.getAttributesMap())
                .containsKeys("sip.callID", "sip.trunkID", "sip.callStatus")
                .doesNotContainKeys("sip.phoneNumber", "sip.hostname", "sip.trunkPhoneNumber");
    }

    @Test
    void inlineTrunkDialsWithoutAStoredTrunk() {
        var request = CreateSIPParticipantRequest.newBuilder()
                .setTrunk(SIPOutboundConfig.newBuilder().setHostname("example.pstn.twilio.com"))
                .setSipNumber("15550001111")
                .setSipCallTo("+12025550101")
                .setRoomName("r1")
                .build();

        assertThat(send(request).statusCode()).isEqualTo(200);
        assertThat(fake.participant("r1", "sip_+12025550101").orElseThrow().getAttributesMap())
                .containsEntry("sip.hostname", "example.pstn.twilio.com")
                .containsEntry("sip.trunkPhoneNumber", "+15550001111")
                .doesNotContainKey("sip.trunkID");
    }

    @Test
    void withoutWaitingTheInfoComesBackAndAFailureShowsUpAsTheParticipantLeaving() {
        RingingCall call = fake.onDial("+12025550101", DialScript.sipFailure(486, "Busy Here"));

        HttpResponse<String> response = send(dial("+12025550101", "r1").build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(call.awaitEnded(TIMEOUT)).isEqualTo("SIP 486 Busy Here");
        assertThat(fake.participants("r1")).isEmpty();
        assertThat(fake.webhooks().pending())
                .extracting(WebhookEvent::getEvent)
                .containsExactly("room_started", "participant_joined", "participant_left", "room_finished");
        assertThat(fake.webhooks().pending().get(2).getParticipant().getDisconnectReason())
                .isEqualTo(DisconnectReason.USER_REJECTED);
    }

    @Test
    void heldCallRingsUntilTheTestAnswers() throws Exception {
        RingingCall held = fake.onDial("+12025550101", DialScript.holdUntilReleased());
        // JSON this time, to read the response body as text.
        CompletableFuture<HttpResponse<String>> response =
                CompletableFuture.supplyAsync(() -> postJson(fake, CREATE_SIP, """
                        {"sip_trunk_id":"ST_abc","sip_call_to":"+12025550101","room_name":"r1",
                         "wait_until_answered":true}
                        """, sipCallBearer(fake)));

        held.awaitDialed(TIMEOUT);
        assertThat(response).isNotDone();
        assertThat(fake.participant("r1", held.participantIdentity())
                        .orElseThrow()
                        .getAttributesMap())
                .containsEntry("sip.callStatus", "ringing");
        assertThat(fake.awaitRequest("SIP", "CreateSIPParticipant", TIMEOUT).responseStatus())
                .isZero();

        held.answer();

        assertThat(response.get().statusCode()).isEqualTo(200);
        assertThat(json(response.get()).get("sip_call_id").getAsString()).isEqualTo(held.sipCallId());
        assertThat(fake.participant("r1", held.participantIdentity())
                        .orElseThrow()
                        .getAttributesMap())
                .containsEntry("sip.callStatus", "active");
        assertThatThrownBy(held::answer).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void heldCallCanBeFailedByTheTest() throws Exception {
        RingingCall held = fake.onDial("+12025550101", DialScript.holdUntilReleased());
        CompletableFuture<HttpResponse<String>> response = CompletableFuture.supplyAsync(
                () -> send(dial("+12025550101", "r1").setWaitUntilAnswered(true).build()));
        held.awaitDialed(TIMEOUT);

        held.fail(603, "Decline");

        assertThat(response.get().statusCode()).isEqualTo(403);
        assertThat(json(response.get())
                        .getAsJsonObject("meta")
                        .get("sip_status_code")
                        .getAsString())
                .isEqualTo("603");
    }

    @Test
    void heldCallEndsAtItsRingingTimeout() {
        RingingCall held = fake.onDial("+12025550101", DialScript.holdUntilReleased());

        HttpResponse<String> response = send(
                dial("+12025550101", "r1")
                        .setWaitUntilAnswered(true)
                        .setRingingTimeout(Durations.fromMillis(200))
                        .build(),
                "X-Twirp-Timeout-Ms",
                "10000");

        assertThat(response.statusCode()).isEqualTo(408);
        assertThat(json(response).get("code").getAsString()).isEqualTo("canceled");
        assertThat(json(response).get("msg").getAsString()).isEqualTo("twirp error unknown: sip request timed out");
        assertThat(held.awaitEnded(TIMEOUT)).isEqualTo("ringing timeout");
    }

    @Test
    void heldCallEndsAtTheTwirpDeadlineWhenThatComesFirst() {
        RingingCall held = fake.onDial("+12025550101", DialScript.holdUntilReleased());

        HttpResponse<String> response = send(
                dial("+12025550101", "r1")
                        .setWaitUntilAnswered(true)
                        .setRingingTimeout(Durations.fromSeconds(30))
                        .build(),
                "X-Twirp-Timeout-Ms",
                "200");

        assertThat(response.statusCode()).isEqualTo(408);
        assertThat(response.body()).isEqualTo("{\"code\":\"deadline_exceeded\",\"msg\":\"request timed out\"}");
        assertThat(held.awaitEnded(TIMEOUT)).isEqualTo("twirp deadline");
        assertThat(fake.awaitRequest("SIP", "CreateSIPParticipant", TIMEOUT).twirpTimeoutMs())
                .hasValue(200L);
        assertThat(fake.webhooks()
                        .awaitEvent("participant_left", TIMEOUT)
                        .getParticipant()
                        .getDisconnectReason())
                .isEqualTo(DisconnectReason.USER_UNAVAILABLE);
    }

    @Test
    void heldCallWithoutWaitingReturnsAtOnceAndIsAnsweredLater() {
        RingingCall held = fake.onDial("+12025550101", DialScript.holdUntilReleased());

        HttpResponse<String> response = send(dial("+12025550101", "r1").build());

        assertThat(response.statusCode()).isEqualTo(200);
        held.awaitDialed(TIMEOUT);
        assertThat(held.isEnded()).isFalse();
        assertThat(fake.participant("r1", "sip_+12025550101").orElseThrow().getAttributesMap())
                .containsEntry("sip.callStatus", "ringing");

        held.answer();

        assertThat(fake.participant("r1", "sip_+12025550101").orElseThrow().getAttributesMap())
                .containsEntry("sip.callStatus", "active");
    }

    @Test
    void heldCallWithoutWaitingStillHonoursItsRingingTimeout() {
        RingingCall held = fake.onDial("+12025550101", DialScript.holdUntilReleased());

        send(dial("+12025550101", "r1")
                .setRingingTimeout(Durations.fromMillis(100))
                .build());

        assertThat(held.awaitEnded(TIMEOUT)).isEqualTo("ringing timeout");
        assertThat(fake.webhooks()
                        .awaitEvent("room_finished", TIMEOUT)
                        .getRoom()
                        .getName())
                .isEqualTo("r1");
        assertThat(fake.participants("r1")).isEmpty();
    }

    @Test
    void deletingTheRoomEndsAHeldCall() throws Exception {
        RingingCall held = fake.onDial("+12025550101", DialScript.holdUntilReleased());
        CompletableFuture<HttpResponse<String>> response = CompletableFuture.supplyAsync(
                () -> send(dial("+12025550101", "r1").setWaitUntilAnswered(true).build()));
        held.awaitDialed(TIMEOUT);

        HttpResponse<String> deleted = postJson(
                fake, "/twirp/livekit.RoomService/DeleteRoom", "{\"room\":\"r1\"}", allGrantsBearer(fake, "r1"));

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(response.get().statusCode()).isEqualTo(408);
        assertThat(json(response.get()).get("code").getAsString()).isEqualTo("canceled");
        assertThat(fake.webhooks().pending())
                .extracting(WebhookEvent::getEvent)
                .containsExactly("room_started", "participant_joined", "participant_left", "room_finished");
        assertThat(fake.webhooks().pending().get(2).getParticipant().getDisconnectReason())
                .isEqualTo(DisconnectReason.ROOM_DELETED);
        assertThatThrownBy(held::answer).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void heldScriptCapturesOneDialAndLaterDialsAreAnswered() {
        RingingCall held = fake.onDial("+12025550101", DialScript.holdUntilReleased());
        send(dial("+12025550101", "r1").build());
        held.awaitDialed(TIMEOUT);

        HttpResponse<String> second =
                send(dial("+12025550101", "r2").setWaitUntilAnswered(true).build());

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(held.roomName()).isEqualTo("r1");
    }

    @Test
    void failNextFailsOneCallWithoutSideEffects() {
        fake.failNext("SIP", "CreateSIPParticipant", "unavailable", 503, "no response from servers");

        HttpResponse<String> first = send(dial("+12025550101", "r1").build());
        HttpResponse<String> second = send(dial("+12025550101", "r1").build());

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.body()).isEqualTo("{\"code\":\"unavailable\",\"msg\":\"no response from servers\"}");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(fake.requests("SIP", "CreateSIPParticipant"))
                .extracting(RecordedRequest::responseStatus)
                .containsExactly(503, 200);
        assertThatThrownBy(() -> fake.failNext("SIP", "Nope", "internal", 500, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void calleeHangingUpEndsTheCallAndTheRoom() {
        send(dial("+12025550101", "r1").setWaitUntilAnswered(true).build());

        fake.hangUpByCallee("r1");

        var events = fake.webhooks().pending();
        assertThat(events)
                .extracting(WebhookEvent::getEvent)
                .containsExactly("room_started", "participant_joined", "participant_left", "room_finished");
        assertThat(events.get(2).getParticipant().getDisconnectReason()).isEqualTo(DisconnectReason.CLIENT_INITIATED);
        assertThat(events.get(2).getParticipant().getAttributesMap()).containsEntry("sip.callStatus", "hangup");
        assertThat(fake.rooms()).isEmpty();
    }

    @Test
    void unknownTrunkAndMissingNumbersAreSynchronousErrors() {
        HttpResponse<String> unknown =
                send(dial("+12025550101", "r1").setSipTrunkId("ST_nope").build());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"code\":\"not_found\",\"msg\":\"requested sip trunk does not exist\"}");

        HttpResponse<String> noNumber = send(CreateSIPParticipantRequest.newBuilder()
                .setTrunk(SIPOutboundConfig.newBuilder().setHostname("sip.example.com"))
                .setSipCallTo("+12025550101")
                .setRoomName("r1")
                .build());
        assertThat(noNumber.statusCode()).isEqualTo(412);
        assertThat(json(noNumber).get("msg").getAsString()).isEqualTo("no numbers on outbound trunk");
        assertThat(fake.rooms()).isEmpty();
    }

    @Test
    void resetForgetsEverythingAndReleasesHeldRequests() throws Exception {
        RingingCall held = fake.onDial("+12025550101", DialScript.holdUntilReleased());
        CompletableFuture<HttpResponse<String>> response = CompletableFuture.supplyAsync(
                () -> send(dial("+12025550101", "r1").setWaitUntilAnswered(true).build()));
        held.awaitDialed(TIMEOUT);

        fake.reset();

        assertThat(response.get().statusCode()).isEqualTo(408);
        assertThat(fake.rooms()).isEmpty();
        assertThat(fake.requests()).isEmpty();
        assertThat(fake.webhooks().generated()).isEmpty();
        assertThat(send(dial("+12025550101", "r1").build()).statusCode()).isEqualTo(404);
    }

    private static SIPStatus sipStatusFromErrorDetails(String base64) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(Base64.getDecoder().decode(base64));
        SIPStatus found = null;
        int grpcCode = -1;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (tag >>> 3) {
                case 1 -> grpcCode = in.readInt32();
                case 2 -> assertThat(in.readString()).startsWith("INVITE failed: sip status: ");
                case 3 -> found = Any.parseFrom(in.readBytes()).unpack(SIPStatus.class);
                default -> in.skipField(tag);
            }
        }
        assertThat(grpcCode).isPositive();
        assertThat(found).isNotNull();
        return found;
    }
}
