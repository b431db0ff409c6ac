package dev.dialplane.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Every response names its request ({@code X-Request-Id}), whoever answered it: a controller, the
 * error advice, a filter, Spring's own 404, the TalkifAI route; and the log lines of that request
 * carry the same id.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestIdIntegrationTests extends LiveKitIntegrationTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void everyResponseGetsAnIdOfItsOwn() {
        var org = newOrganization();

        var first = org.api().get("/agents");
        var second = org.api().get("/agents");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("X-Request-Id")).matches(UUID_PATTERN);
        assertThat(second.header("X-Request-Id")).matches(UUID_PATTERN).isNotEqualTo(first.header("X-Request-Id"));
    }

    @Test
    void theClientsOwnIdIsKept() {
        var org = newOrganization();
        var id = "client-" + UUID.randomUUID();

        assertThat(org.api().withHeader("X-Request-Id", id).get("/agents").header("X-Request-Id"))
                .isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "<script>", "%0d%0aX-Evil:1", "quote\"d"})
    void anIdThatIsNotShortAndPlainIsReplaced(String sent) {
        var response = anonymous().withHeader("X-Request-Id", sent).get("/agents");

        assertThat(response.header("X-Request-Id")).matches(UUID_PATTERN);
    }

    @Test
    void anOverlongIdIsReplaced() {
        var response = anonymous().withHeader("X-Request-Id", "a".repeat(129)).get("/agents");

        assertThat(response.header("X-Request-Id")).matches(UUID_PATTERN);
    }

    @Test
    void errorsOfEveryOriginCarryTheId() {
        var setup = newSetup();
        var id = "err-" + UUID.randomUUID();
        var anonymous = anonymous().withHeader("X-Request-Id", id);
        var api = setup.api().withHeader("X-Request-Id", id);

        // the API key interceptor, through the advice
        assertThat(anonymous.get("/agents"))
                .satisfies(r -> assertThat(r.status()).isEqualTo(401))
                .satisfies(r -> assertThat(r.header("X-Request-Id")).isEqualTo(id));
        // Spring's own 404
        assertThat(api.get("/no-such-route"))
                .satisfies(r -> assertThat(r.status()).isEqualTo(404))
                .satisfies(r -> assertThat(r.header("X-Request-Id")).isEqualTo(id));
        // a filter that answers before Spring MVC
        var filtered = api.withHeader("Idempotency-Key", "k".repeat(256))
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550123"));
        assertThat(filtered.json().get("code").asString()).isEqualTo("INVALID_IDEMPOTENCY_KEY");
        assertThat(filtered.header("X-Request-Id")).isEqualTo(id);
        // the TalkifAI route, in its own envelope
        var talkifai = anonymous.post("/telephony/outbound-call?to_number=%2B12025550123&from_number=%2B12025550100");
        assertThat(talkifai.status()).isEqualTo(401);
        assertThat(talkifai.json().get("success").asBoolean()).isFalse();
        assertThat(talkifai.header("X-Request-Id")).isEqualTo(id);
        // a malformed body
        var malformed = api.send("POST", "/calls/outbound", "application/json", "{not json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.header("X-Request-Id")).isEqualTo(id);
    }

    @Test
    void theLogLinesOfARequestCarryItsId(CapturedOutput output) {
        var id = "log-" + UUID.randomUUID();

        var response = Api.at(port)
                .withHeader("X-Request-Id", id)
                .withHeader("Authorization", "Bearer not-a-livekit-token")
                .send("POST", "/webhooks/livekit", "application/webhook+json", "{\"event\":\"room_started\"}");

        assertThat(response.status()).isEqualTo(401);
        assertThat(output.getOut().lines().filter(line -> line.contains("Rejected a LiveKit webhook")))
                .anySatisfy(line -> assertThat(line).contains("[" + id + "]"));
    }
}
