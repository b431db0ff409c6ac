package dev.dialplane.fakelivekit;

import static dev.dialplane.fakelivekit.FakeLiveKitClients.allGrantsBearer;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.json;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.postJson;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.postProto;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.sipCallBearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RoomService, AgentDispatchService and Egress, and the order of operations of §5. */
class FakeLiveKitRoomTests {

    private FakeLiveKit fake;
    private String bearer;

    @BeforeEach
    void start() {
        fake = FakeLiveKit.start();
        fake.registerTrunk("ST_abc");
        bearer = allGrantsBearer(fake, "call-1");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private HttpResponse<String> call(String rpc, String json) {
        return postJson(fake, "/twirp/livekit." + rpc, json, bearer);
    }

    private void dial(String number) {
        postProto(
                fake,
                "/twirp/livekit.SIP/CreateSIPParticipant",
                CreateSIPParticipantRequest.newBuilder()
                        .setSipTrunkId("ST_abc")
                        .setSipCallTo(number)
                        .setRoomName("call-1")
                        .setWaitUntilAnswered(true)
                        .build(),
                sipCallBearer(fake));
    }

    @Test
    void dispatchCreatesTheRoomThenEgressThenDialAsInTheRecipe() {
        HttpResponse<String> dispatch = call(
                "AgentDispatchService/CreateDispatch",
                "{\"room\":\"call-1\",\"agent_name\":\"outbound\",\"metadata\":\"{}\"}");
        assertThat(dispatch.statusCode()).isEqualTo(200);
        assertThat(json(dispatch).get("id").getAsString()).startsWith("AD_");
        assertThat(json(dispatch).get("agent_name").getAsString()).isEqualTo("outbound");
        assertThat(fake.rooms()).extracting(r -> r.getName()).containsExactly("call-1");
        assertThat(fake.dispatches("call-1")).hasSize(1);

        HttpResponse<String> egress = call(
                "Egress/StartRoomCompositeEgress",
                "{\"room_name\":\"call-1\",\"audio_only\":true,"
                        + "\"file_outputs\":[{\"file_type\":\"OGG\",\"filepath\":\"calls/call-1.ogg\"}]}");
        assertThat(egress.statusCode()).isEqualTo(200);
        assertThat(json(egress).get("status").getAsString()).isEqualTo("EGRESS_STARTING");
        assertThat(json(egress).get("egress_id").getAsString()).startsWith("EG_");

        dial("+12025550101");

        assertThat(fake.webhooks().pending())
                .extracting(WebhookEvent::getEvent)
                .containsExactly("room_started", "egress_started", "participant_joined");
        HttpResponse<String> list = call("AgentDispatchService/ListDispatch", "{\"room\":\"call-1\"}");
        assertThat(json(list).getAsJsonArray("agent_dispatches")).hasSize(1);
    }

    @Test
    void egressNeedsAnExistingRoom() {
        HttpResponse<String> response = call("Egress/StartRoomCompositeEgress", "{\"room_name\":\"call-1\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("code").getAsString()).isEqualTo("not_found");
    }

    @Test
    void deletingTheRoomDisconnectsEveryoneAndStopsItsEgress() {
        call("RoomService/CreateRoom", "{\"name\":\"call-1\"}");
        call("Egress/StartRoomCompositeEgress", "{\"room_name\":\"call-1\",\"audio_only\":true}");
        dial("+12025550101");

        HttpResponse<String> deleted = call("RoomService/DeleteRoom", "{\"room\":\"call-1\"}");

        assertThat(deleted.statusCode()).isEqualTo(200);
        var events = fake.webhooks().pending();
        assertThat(events)
                .extracting(WebhookEvent::getEvent)
                .containsExactly(
                        "room_started",
                        "egress_started",
                        "participant_joined",
                        "participant_left",
                        "room_finished",
                        "egress_ended");
        assertThat(events.get(3).getParticipant().getDisconnectReason()).isEqualTo(DisconnectReason.ROOM_DELETED);
        assertThat(events.get(5).getEgressInfo().getStatus()).isEqualTo(EgressStatus.EGRESS_COMPLETE);
        assertThat(fake.egresses()).extracting(e -> e.getStatus()).containsExactly(EgressStatus.EGRESS_COMPLETE);
        assertThat(call("RoomService/DeleteRoom", "{\"room\":\"call-1\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void participantsCanBeListedFetchedAndRemoved() {
        dial("+12025550101");

        HttpResponse<String> list = call("RoomService/ListParticipants", "{\"room\":\"call-1\"}");
        assertThat(json(list).getAsJsonArray("participants")).hasSize(1);

        HttpResponse<String> get =
                call("RoomService/GetParticipant", "{\"room\":\"call-1\",\"identity\":\"sip_+12025550101\"}");
        assertThat(json(get).get("kind").getAsString()).isEqualTo("SIP");
        assertThat(json(get).getAsJsonObject("attributes").get("sip.callStatus").getAsString())
                .isEqualTo("active");

        HttpResponse<String> missing =
                call("RoomService/GetParticipant", "{\"room\":\"call-1\",\"identity\":\"nobody\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"code\":\"not_found\",\"msg\":\"participant not found\"}");

        assertThat(call("RoomService/RemoveParticipant", "{\"room\":\"call-1\",\"identity\":\"sip_+12025550101\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(fake.webhooks().pending())
                .extracting(WebhookEvent::getEvent)
                .containsExactly("room_started", "participant_joined", "participant_left", "room_finished");
        assertThat(fake.webhooks().pending().get(2).getParticipant().getDisconnectReason())
                .isEqualTo(DisconnectReason.PARTICIPANT_REMOVED);
    }

    @Test
    void stoppingAnEgressEndsIt() {
        call("RoomService/CreateRoom", "{\"name\":\"call-1\"}");
        String id = json(call("Egress/StartRoomCompositeEgress", "{\"room_name\":\"call-1\"}"))
                .get("egress_id")
                .getAsString();

        HttpResponse<String> stopped = call("Egress/StopEgress", "{\"egress_id\":\"" + id + "\"}");

        assertThat(json(stopped).get("status").getAsString()).isEqualTo("EGRESS_ENDING");
        assertThat(fake.webhooks()
                        .awaitEvent("egress_ended", FakeLiveKitClients.TIMEOUT)
                        .getEgressInfo()
                        .getEgressId())
                .isEqualTo(id);
        assertThat(json(call("Egress/ListEgress", "{\"active\":true}")).getAsJsonArray("items"))
                .isEmpty();
        assertThat(call("Egress/StopEgress", "{\"egress_id\":\"" + id + "\"}").statusCode())
                .isEqualTo(412);
    }

    @Test
    void transferNeedsAnAnsweredSipParticipant() {
        dial("+12025550101");

        HttpResponse<String> transferred = call(
                "SIP/TransferSIPParticipant",
                "{\"room_name\":\"call-1\",\"participant_identity\":\"sip_+12025550101\","
                        + "\"transfer_to\":\"tel:+12025550199\"}");

        assertThat(transferred.statusCode()).isEqualTo(200);
        assertThat(fake.participants("call-1")).isEmpty();
        HttpResponse<String> badUri = call(
                "SIP/TransferSIPParticipant",
                "{\"room_name\":\"call-1\",\"participant_identity\":\"x\",\"transfer_to\":\"+12025550199\"}");
        assertThat(badUri.statusCode()).isEqualTo(400);
    }

    @Test
    void failNextWorksForAnyRpc() {
        fake.failNext("AgentDispatchService", "CreateDispatch", "unavailable", 503, "no response from servers");

        HttpResponse<String> failed =
                call("AgentDispatchService/CreateDispatch", "{\"room\":\"call-1\",\"agent_name\":\"a\"}");
        HttpResponse<String> ok =
                call("AgentDispatchService/CreateDispatch", "{\"room\":\"call-1\",\"agent_name\":\"a\"}");

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(json(failed).get("code").getAsString()).isEqualTo("unavailable");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(fake.dispatches("call-1")).hasSize(1);
    }
}
