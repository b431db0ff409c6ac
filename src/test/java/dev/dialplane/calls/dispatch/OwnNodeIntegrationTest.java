package dev.dialplane.calls.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.calls.CallLifecycle;
import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.calls.RecordingOutputs;
import dev.dialplane.livekit.LiveKitClient;
import dev.dialplane.support.LiveKitIntegrationTest;
import dev.dialplane.trunks.TrunkService;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tests whose calls are dispatched by a node the test builds and turns itself: the application's
 * own dispatch loop is stopped meanwhile, and what a {@link Dialer} needs is at hand.
 */
abstract class OwnNodeIntegrationTest extends LiveKitIntegrationTest {

    @Autowired
    CallDispatcher springDispatcher;

    @Autowired
    CallClaims claims;

    @Autowired
    Dialer dialer;

    @Autowired
    CallLifecycle lifecycle;

    @Autowired
    DispatchProperties properties;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TrunkPacing pacing;

    @Autowired
    TrunkService trunks;

    @Autowired
    LiveKitClient liveKit;

    @Autowired
    RecordingOutputs recordings;

    @Autowired
    CallOutcomes outcomes;

    @Autowired
    JsonMapper json;

    @BeforeEach
    void stopTheNodesOwnLoop() {
        springDispatcher.stop(); // only the test's node dials
    }

    @AfterEach
    void restartIt() {
        springDispatcher.start();
    }

    static List<String> statuses(Setup setup, String id) {
        return setup.api()
                .get("/calls/" + id + "/events")
                .json()
                .get("data")
                .valueStream()
                .map(e -> e.get("status").asString())
                .toList();
    }

    /** {@code max_channels} 0 pauses the trunk: its calls wait queued. */
    void pauseTrunk(Setup setup, boolean paused) {
        var response = setup.api().patch("/sip-trunks/" + setup.trunkId(), body("max_channels", paused ? 0 : null));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }
}
