package dev.dialplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /calls/preflight}: the checks of {@code POST /calls/outbound} without storing or
 * dialing anything, and never a different answer from the real request made right after it.
 */
class PreflightIntegrationTests extends LiveKitIntegrationTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Map<String, Object> request(Setup setup, String to, Object... extra) {
        var body = body("agent_id", setup.agentId(), "to_number", to);
        body.putAll(body(extra));
        return body;
    }

    private static JsonNode preflight(Setup setup, Map<String, Object> request) {
        var response = setup.api().post("/calls/preflight", request);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static List<String> codes(JsonNode preflight) {
        return preflight
                .get("reasons")
                .valueStream()
                .map(reason -> reason.get("code").asString())
                .toList();
    }

    private static void nothingStored(Setup setup) {
        assertThat(setup.api().get("/calls").json().get("data").size()).isZero();
        assertNothingReachedLiveKitFor(setup);
    }

    @Test
    void aCallThatWouldDialNow() {
        var setup = newSetup();
        var request = request(setup, "+12125550150");
        var preflight = preflight(setup, request);
        assertThat(preflight.get("allowed").asBoolean()).isTrue();
        assertThat(preflight.get("would").asString()).isEqualTo("dial_now");
        assertThat(preflight.get("reasons").size()).isZero();
        assertThat(preflight.get("callee_timezones").get(0).asString()).isEqualTo("America/New_York");
        assertThat(preflight.get("callee_local_time").asString())
                .endsWith("-05:00")
                .doesNotContain("Z");
        assertThat(preflight.get("rate_per_minute").decimalValue()).isPositive();
        assertThat(preflight.get("next_allowed_at").isNull()).isTrue();
        nothingStored(setup);

        var real = setup.api().post("/calls/outbound", request);
        assertThat(real.status()).as(real.text()).isEqualTo(200);
        assertThat(real.json().get("status").asString()).isEqualTo("dialing");
    }

    @Test
    void everyReasonToRefuseIsListed_andTheRealRequestAnswersWithTheFirst() {
        var setup = newSetup(0);
        windowOn(setup.api(), DEFAULT_WINDOW);
        setClock("2027-01-12T03:00:00", NEW_YORK);
        var request = request(setup, "+12125550151");
        var preflight = preflight(setup, request);
        assertThat(preflight.get("allowed").asBoolean()).isFalse();
        assertThat(preflight.get("would").asString()).isEqualTo("refuse");
        assertThat(codes(preflight)).containsExactly("OUTSIDE_CALLING_WINDOW", "INSUFFICIENT_CREDITS");
        assertThat(preflight.get("next_allowed_at").asString())
                .isEqualTo(at("2027-01-12T08:00:00", NEW_YORK).toString());
        assertThat(preflight.get("estimated_start_at").isNull()).isTrue();
        nothingStored(setup);

        var real = setup.api().post("/calls/outbound", request);
        assertThat(real.status()).as(real.text()).isEqualTo(422);
        assertThat(real.json().get("code").asString()).isEqualTo("OUTSIDE_CALLING_WINDOW");
        assertThat(real.json().get("detail").asString())
                .isEqualTo(preflight.get("reasons").get(0).get("detail").asString());
    }

    @Test
    void anUnknownAgentIsAReason() {
        var setup = newSetup();
        var preflight =
                preflight(setup, body("agent_id", "00000000-0000-4000-8000-00000000abcd", "to_number", "+12125550152"));
        assertThat(codes(preflight)).containsExactly("AGENT_NOT_FOUND");
        assertThat(preflight.get("would").asString()).isEqualTo("refuse");
    }

    @Test
    void aCallBehindAClosedTrunkWouldQueue() {
        var setup = newSetup();
        var paused = setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", 0));
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        var request = request(setup, "+12125550153");
        var preflight = preflight(setup, request);
        assertThat(preflight.get("allowed").asBoolean()).isTrue();
        assertThat(preflight.get("would").asString()).isEqualTo("queue");
        assertThat(preflight.get("queue_position").asLong()).isEqualTo(1);
        nothingStored(setup);

        var real = setup.api().post("/calls/outbound", request);
        assertThat(real.json().get("status").asString()).isEqualTo("queued");
    }

    @Test
    void aCallOutsideTheWindowThatMayWaitWouldBeScheduledForItsOpening() {
        var setup = newSetup();
        windowOn(setup.api(), DEFAULT_WINDOW);
        setClock("2027-01-12T03:00:00", NEW_YORK);
        var request = request(setup, "+12125550154", "within_calling_window", true);
        var preflight = preflight(setup, request);
        assertThat(preflight.get("would").asString()).isEqualTo("schedule");
        var opening = at("2027-01-12T08:00:00", NEW_YORK).toString();
        assertThat(preflight.get("estimated_start_at").asString()).isEqualTo(opening);
        assertThat(preflight.get("callee_local_time").asString()).isEqualTo("2027-01-12T08:00:00-05:00");
        nothingStored(setup);

        var real = setup.api().post("/calls/outbound", request);
        assertThat(real.json().get("status").asString()).isEqualTo("scheduled");
    }

    @Test
    void anAttemptCapIsCheckedWithoutCountingThePreflight() {
        var setup = newSetup();
        var caps = setup.api().put("/compliance-policy", Map.of("max_attempts_per_number", Map.of("per_24h", 1)));
        assertThat(caps.status()).as(caps.text()).isEqualTo(200);
        var request = request(setup, "+12125550155");
        for (int i = 0; i < 3; i++) {
            assertThat(preflight(setup, request).get("allowed").asBoolean()).isTrue();
        }
        assertThat(setup.api().post("/calls/outbound", request).status()).isEqualTo(200);
        var preflight = preflight(setup, request);
        assertThat(codes(preflight)).containsExactly("ATTEMPT_LIMIT_REACHED");
        assertThat(preflight.get("next_allowed_at").asString()).isNotBlank();
        Api.Response real = setup.api().post("/calls/outbound", request);
        assertThat(real.status()).isEqualTo(429);
    }

    @Test
    void aMalformedBodyIsRefusedAsTheRealRouteRefusesIt() {
        var setup = newSetup();
        var response = setup.api().post("/calls/preflight", Map.of("agent_id", "nope", "ringing_timeout_seconds", 0));
        assertThat(response.status()).as(response.text()).isEqualTo(422);
        assertThat(response.json().get("detail").isArray()).isTrue();
        assertThat(fields(response.json())).contains("agent_id", "to_number", "ringing_timeout_seconds");
    }
}
