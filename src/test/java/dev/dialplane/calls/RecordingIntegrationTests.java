package dev.dialplane.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.List;
import java.util.Map;
import livekit.LivekitEgress.AudioMixing;
import livekit.LivekitEgress.EncodedFileType;
import livekit.LivekitEgress.RoomCompositeEgressRequest;
import org.junit.jupiter.api.Test;

/** Recording through LiveKit Egress: audio only, agent and callee on separate channels. */
class RecordingIntegrationTests extends LiveKitIntegrationTest {

    private static final String TO = "+12025550123";

    @Test
    void aRecordedCallStartsEgressBeforeDialingAndEndsWithAFile() {
        var setup = newSetup();
        var call = answeredCall(setup, TO, "record", true);
        var id = call.get("id").asString();
        var room = call.get("room_name").asString();

        var egress = requestsFor("Egress", "StartRoomCompositeEgress", room);
        assertThat(egress).hasSize(1);
        var request = egress.getFirst().bodyAs(RoomCompositeEgressRequest.class);
        assertThat(request.getRoomName()).isEqualTo(room);
        assertThat(request.getAudioOnly()).isTrue();
        assertThat(request.getAudioMixing()).isEqualTo(AudioMixing.DUAL_CHANNEL_AGENT);
        assertThat(request.getFileOutputsList()).hasSize(1);
        assertThat(request.getFileOutputs(0).getFileType()).isEqualTo(EncodedFileType.OGG);
        assertThat(request.getFileOutputs(0).getFilepath()).isEqualTo("recordings/" + id + ".ogg");
        @SuppressWarnings("unchecked")
        var video = (Map<String, Object>) egress.getFirst().jwtClaims().get("video");
        assertThat(video).containsEntry("roomRecord", true).doesNotContainKey("roomAdmin");
        var dispatch =
                requestsFor("AgentDispatchService", "CreateDispatch", room).getFirst();
        var dial = dialedOnce(room);
        assertThat(List.of(dispatch.receivedAt(), egress.getFirst().receivedAt(), dial.receivedAt()))
                .isSorted();

        assertThat(call.get("recording").get("status").asString()).isIn("starting", "recording");
        deliverWebhooks(); // egress_started reports EGRESS_STARTING; ACTIVE would come with egress_updated
        var started = setup.api().get("/calls/" + id).json().get("recording");
        assertThat(started.get("status").asString()).isEqualTo("starting");
        assertThat(started.get("egress_id").asString()).startsWith("EG_");

        LIVEKIT.hangUpByCallee(room);
        deliverWebhooks();
        var recording = setup.api().get("/calls/" + id).json().get("recording");
        assertThat(recording.get("status").asString()).isEqualTo("completed");
        assertThat(recording.get("egress_id").asString()).startsWith("EG_");
        assertThat(recording.get("location").asString()).contains(id + ".ogg");
    }

    @Test
    void agentsAndNumbersCanSwitchRecordingOn() {
        var setup = newSetup();
        assertThat(answeredCall(setup, TO).get("recording").get("status").asString())
                .isEqualTo("disabled");

        setup.api().patch("/agents/" + setup.agentId(), Map.of("record", true));
        var byAgent = answeredCall(setup, "+12025550124");
        assertThat(byAgent.get("recording").get("status").asString()).isNotEqualTo("disabled");
        setup.api().patch("/agents/" + setup.agentId(), Map.of("record", false));

        setup.api().patch("/phone-numbers/" + setup.numberId(), Map.of("record", true));
        var byNumber = answeredCall(setup, "+12025550125");
        assertThat(byNumber.get("recording").get("status").asString()).isNotEqualTo("disabled");
        assertThat(requestsFor(
                        "Egress",
                        "StartRoomCompositeEgress",
                        byNumber.get("room_name").asString()))
                .hasSize(1);
    }

    @Test
    void aRefusedRecordingDoesNotStopTheCall() {
        var setup = newSetup();
        LIVEKIT.failNext("Egress", "StartRoomCompositeEgress", "resource_exhausted", 429, "egress limit reached");

        var call = answeredCall(setup, TO, "record", true);

        assertThat(call.get("status").asString()).isEqualTo("in_progress");
        assertThat(call.get("recording").get("status").asString()).isEqualTo("failed");
        assertThat(call.get("recording").get("error").asString()).contains("egress limit reached");
    }
}
