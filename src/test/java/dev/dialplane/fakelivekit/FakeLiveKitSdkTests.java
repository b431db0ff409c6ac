package dev.dialplane.fakelivekit;

import static dev.dialplane.fakelivekit.FakeLiveKitClients.allGrantsBearer;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.retrofit;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.sipCallBearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.livekit.server.AgentDispatchService;
import io.livekit.server.EgressService;
import io.livekit.server.RoomService;
import io.livekit.server.SipService;
import java.io.IOException;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.RoomCompositeEgressRequest;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRoom.DeleteRoomRequest;
import livekit.LivekitRoom.RoomParticipantIdentity;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.SIPParticipantInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import retrofit2.Response;

/** The SDK's own retrofit interfaces, protobuf on the wire, against the fake. */
class FakeLiveKitSdkTests {

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

    @Test
    void createSipParticipantRoundTripsAsProtobufWithTheSdksSipCallGrant() throws IOException {
        SipService sip = retrofit(fake).create(SipService.class);
        var request = CreateSIPParticipantRequest.newBuilder()
                .setSipTrunkId("ST_abc")
                .setSipCallTo("+12025550101")
                .setRoomName("call-1")
                .setWaitUntilAnswered(true)
                .build();

        Response<SIPParticipantInfo> response =
                sip.createSipParticipant(request, sipCallBearer(fake)).execute();

        assertThat(response.code()).isEqualTo(200);
        assertThat(response.headers().get("Content-Type")).isEqualTo("application/protobuf");
        SIPParticipantInfo info = response.body();
        assertThat(info.getParticipantId()).startsWith("PA_");
        assertThat(info.getParticipantIdentity()).isEqualTo("sip_+12025550101");
        assertThat(info.getRoomName()).isEqualTo("call-1");
        assertThat(info.getSipCallId()).startsWith("SCL_");

        RecordedRequest recorded = fake.awaitRequest("SIP", "CreateSIPParticipant", FakeLiveKitClients.TIMEOUT);
        assertThat(recorded.contentType()).isEqualTo("application/protobuf");
        assertThat(recorded.bodyAs(CreateSIPParticipantRequest.class)).isEqualTo(request);
        assertThat(recorded.jwtClaims()).containsEntry("iss", "devkey").containsKey("exp");
        assertThat(recorded.jwtClaims().get("sip")).isEqualTo(java.util.Map.of("call", true));
        assertThat(recorded.responseStatus()).isEqualTo(200);
        assertThat(recorded.header("authorization"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer "));
    }

    @Test
    void sipFailureReachesTheSdkAsAnErrorBodyInTwirpJson() throws IOException {
        fake.onDial("+12025550102", DialScript.sipFailure(486, "Busy Here"));
        SipService sip = retrofit(fake).create(SipService.class);

        Response<SIPParticipantInfo> response = sip.createSipParticipant(
                        CreateSIPParticipantRequest.newBuilder()
                                .setSipTrunkId("ST_abc")
                                .setSipCallTo("+12025550102")
                                .setRoomName("call-2")
                                .setWaitUntilAnswered(true)
                                .build(),
                        sipCallBearer(fake))
                .execute();

        assertThat(response.code()).isEqualTo(429);
        assertThat(response.errorBody().contentType().toString()).isEqualTo("application/json");
        var error = JsonParser.parseString(response.errorBody().string()).getAsJsonObject();
        assertThat(error.get("code").getAsString()).isEqualTo("resource_exhausted");
        assertThat(error.getAsJsonObject("meta").get("sip_status_code").getAsString())
                .isEqualTo("486");
    }

    @Test
    void roomDispatchAndEgressServicesWorkThroughTheSdkInterfaces() throws IOException {
        var retrofit = retrofit(fake);
        String bearer = allGrantsBearer(fake, "call-3");

        var dispatch = retrofit.create(AgentDispatchService.class)
                .createDispatch(
                        CreateAgentDispatchRequest.newBuilder()
                                .setRoom("call-3")
                                .setAgentName("outbound-agent")
                                .setMetadata("{\"to\":\"+1202\"}")
                                .build(),
                        bearer)
                .execute()
                .body();
        assertThat(dispatch.getId()).startsWith("AD_");
        assertThat(dispatch.getRoom()).isEqualTo("call-3");

        var egress = retrofit.create(EgressService.class)
                .startRoomCompositeEgress(
                        RoomCompositeEgressRequest.newBuilder()
                                .setRoomName("call-3")
                                .setAudioOnly(true)
                                .build(),
                        bearer)
                .execute()
                .body();
        assertThat(egress.getEgressId()).startsWith("EG_");
        assertThat(egress.getStatus()).isEqualTo(EgressStatus.EGRESS_STARTING);

        retrofit.create(SipService.class)
                .createSipParticipant(
                        CreateSIPParticipantRequest.newBuilder()
                                .setSipTrunkId("ST_abc")
                                .setSipCallTo("+12025550103")
                                .setRoomName("call-3")
                                .build(),
                        sipCallBearer(fake))
                .execute();

        ParticipantInfo participant = retrofit.create(RoomService.class)
                .getParticipant(
                        RoomParticipantIdentity.newBuilder()
                                .setRoom("call-3")
                                .setIdentity("sip_+12025550103")
                                .build(),
                        bearer)
                .execute()
                .body();
        assertThat(participant.getKind()).isEqualTo(ParticipantInfo.Kind.SIP);
        assertThat(participant.getAttributesMap()).containsEntry("sip.callStatus", "active");

        Response<Void> deleted = retrofit.create(RoomService.class)
                .deleteRoom(DeleteRoomRequest.newBuilder().setRoom("call-3").build(), bearer)
                .execute();
        assertThat(deleted.isSuccessful()).isTrue();
        assertThat(fake.rooms()).isEmpty();
    }
}
