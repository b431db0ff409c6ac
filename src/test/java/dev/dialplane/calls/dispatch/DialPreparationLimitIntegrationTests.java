package dev.dialplane.calls.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** A node prepares a bounded number of dials at once; a burst beyond it waits queued instead of piling up at LiveKit. */
@TestPropertySource(properties = "dialplane.dispatch.max-dials-preparing=2")
class DialPreparationLimitIntegrationTests extends LiveKitIntegrationTest {

    @Test
    void aBurstBeyondTheNodesPreparationSlotsWaitsQueuedAndEveryCallIsDialedOnce() {
        var setup = newSetup();
        // LiveKit slow to create this agent's rooms: every dial being prepared stays in preparation
        var rooms = LIVEKIT.hold("RoomService", "CreateRoom", "outbound_" + setup.agentId());
        var placed = new ArrayList<JsonNode>();
        for (int i = 0; i < 6; i++) {
            var response = setup.api()
                    .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+1202555019" + i));
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            placed.add(response.json());
        }

        rooms.awaitInside(2, WAIT);
        var dialing = placed.stream()
                .filter(call -> call.get("status").asString().equals("dialing"))
                .count();
        assertThat(dialing).isLessThanOrEqualTo(2);
        assertThat(placed)
                .filteredOn(call -> !call.get("status").asString().equals("dialing"))
                .allSatisfy(call -> {
                    assertThat(call.get("status").asString()).isEqualTo("queued");
                    assertThat(call.get("queue_position").asLong()).isPositive();
                });

        rooms.open();
        for (var call : placed) {
            awaitCall(setup.api(), call.get("call_id").asString(), "in_progress");
            dialedOnce(call.get("room_name").asString());
        }
        assertThat(rooms.passed()).isEqualTo(6);
        assertThat(rooms.mostAtOnce()).isEqualTo(2);
    }
}
