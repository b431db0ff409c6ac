package dev.dialplane.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sandbox mode as a newcomer meets it: no LiveKit settings, the seeded demo organization and the
 * README's key, and the magic numbers producing every outcome through the same call flow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class) // from before the context starts: its start-up log is checked
class SandboxIntegrationTests {

    // its own: its sandbox seed is encrypted under its own key file, which no other context has
    private static final String DATABASE = TestDatabase.isolatedUrl();
    private static final Path KEY_FILE = tempKeyFile();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void sandboxMode(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, DATABASE);
        // explicitly empty, whatever the environment of the test run says
        registry.add("dialplane.livekit.url", () -> "");
        registry.add("dialplane.livekit.api-key", () -> "");
        registry.add("dialplane.livekit.api-secret", () -> "");
        registry.add("dialplane.secrets.master-key", () -> "");
        registry.add("dialplane.secrets.sandbox-key-file", KEY_FILE::toString);
        registry.add("dialplane.admin.token", () -> "");
        registry.add("dialplane.sandbox.ring-time", () -> "100ms");
        registry.add("dialplane.sandbox.talk-time", () -> "1s");
        registry.add("dialplane.dispatch.capacity-retry-delay", () -> "100ms");
        registry.add("dialplane.calls.answer-timeout", () -> "2s");
        registry.add("dialplane.calls.wait-grace", () -> "3s");
    }

    @Test
    void theStartUpLogGivesTheWholeDemoKeyAndWorkingUrls(CapturedOutput output) {
        var log = output.getOut();

        assertThat(log).contains("API key:    " + SandboxSeed.API_KEY + " ");
        assertThat(log).contains("API:        http://localhost:" + port + System.lineSeparator());
        assertThat(log).contains("Swagger UI: http://localhost:" + port + "/swagger-ui.html");
        assertThat(log).contains("Health:     http://localhost:" + managementPort + "/actuator/health");
        // the URLs it prints answer
        assertThat(Api.at(port).get("/swagger-ui.html").status()).isIn(200, 302);
        assertThat(Api.unchecked(managementPort).get("/actuator/health").status())
                .isEqualTo(200);
        assertThat(sandbox().get("/credits").status()).isEqualTo(200);
    }

    @Test
    void theDemoSignInPrintedAtStartUpOpensStudio(CapturedOutput output) throws Exception {
        assertThat(output.getOut())
                .contains("Studio:     http://localhost:" + port + "/studio  (sign in as " + SandboxSeed.DEMO_EMAIL
                        + " / " + SandboxSeed.DEMO_PASSWORD);
        var http = java.net.http.HttpClient.newBuilder()
                .cookieHandler(new java.net.CookieManager())
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .build();
        var base = "http://127.0.0.1:" + port;
        var form = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/studio/sign-in"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        var token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                .matcher(form.body());
        assertThat(token.find()).as(form.body()).isTrue();

        var signIn = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/studio/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("email="
                                + java.net.URLEncoder.encode(
                                        SandboxSeed.DEMO_EMAIL, java.nio.charset.StandardCharsets.UTF_8)
                                + "&password=" + SandboxSeed.DEMO_PASSWORD + "&_csrf="
                                + java.net.URLEncoder.encode(token.group(1), java.nio.charset.StandardCharsets.UTF_8)))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.headers().firstValue("Location").orElseThrow()).endsWith("/studio");
        var overview = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/studio"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains(SandboxSeed.DEMO_EMAIL).contains("Live now");
    }

    @Test
    void theReadmeKeyOpensTheSeededDemoOrganization() {
        var api = sandbox();
        var agents = api.get("/agents").json().get("data");
        assertThat(agents)
                .extracting(a -> a.get("id").asString())
                .containsExactlyInAnyOrder(SandboxSeed.VOICE_AGENT.toString(), SandboxSeed.TEXT_AGENT.toString());
        var numbers = api.get("/phone-numbers").json().get("data");
        assertThat(numbers)
                .extracting(n -> n.get("number").asString())
                // contains: another test adds a number of its own to the demo organization
                .contains(SandboxSeed.CALLER_NUMBER, SandboxSeed.TEXT_CALLER_NUMBER);
        assertThat(Files.exists(KEY_FILE)).isTrue();
    }

    @Test
    void theReadmeTalkifaiCallIsAnswered() {
        var response = sandbox().post("/telephony/outbound-call?to_number=%2B12025550123&from_number=%2B12025550100");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("room_name").asString())
                .matches("outbound_" + SandboxSeed.VOICE_AGENT + "_12025550123_\\d{10}");
        var events = sandbox()
                .get("/calls/" + response.header("X-Call-Id") + "/events")
                .json()
                .get("data");
        assertThat(events)
                .extracting(e -> e.get("status").asString())
                .startsWith("queued", "dialing", "ringing", "in_progress");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "+12025550123, in_progress, , 200",
        "+12025550101, busy, busy, 486",
        "+12025550102, no_answer, no_answer, ",
        "+12025550103, failed, declined, 603",
        "+12025550104, failed, invalid_number, 404",
        "+12025550105, failed, carrier_error, 500",
        "+12025550106, failed, trunk_auth_failed, 403",
        "+12025550107, failed, livekit_unavailable, "
    })
    void magicNumbersGiveEveryOutcome(String to, String status, String endReason, Integer sip) {
        var body = new LinkedHashMap<String, Object>();
        body.put("agent_id", SandboxSeed.VOICE_AGENT.toString());
        body.put("to_number", to);
        body.put("wait_until_answered", true);
        body.put("ringing_timeout_seconds", 1);
        var response = sandbox().post("/calls/outbound", body);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var call = response.json();
        assertThat(call.get("status").asString()).isEqualTo(status);
        if (endReason == null) {
            assertThat(call.has("end_reason")).isFalse();
        } else {
            assertThat(call.get("end_reason").asString()).isEqualTo(endReason);
        }
        if (sip == null) {
            assertThat(call.has("sip_status_code")).isFalse();
        } else {
            assertThat(call.get("sip_status_code").asInt()).isEqualTo(sip);
        }
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
        "+12025550101, 409, CALL_BUSY",
        "+12025550102, 408, CALL_TIMEOUT",
        "+12025550103, 409, CALL_DECLINED",
        "+12025550104, 400, INVALID_DESTINATION",
        "+12025550105, 502, CARRIER_ERROR",
        "+12025550106, 502, CARRIER_ERROR",
        "+12025550107, 503, TELEPHONY_UNAVAILABLE"
    })
    void magicNumbersGiveEveryTalkifaiError(String to, int status, String code) {
        var response = sandbox()
                .post("/telephony/outbound-call?to_number=" + to.replace("+", "%2B") + "&from_number=%2B12025550100");
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().get("code").asString()).isEqualTo(code);
        // only an unreachable LiveKit is worth retrying later; the others are the callee's answer
        assertThat(response.header("Retry-After")).isEqualTo(status == 503 ? "5" : null);
    }

    @Test
    void aSandboxCallEndsWhenTheSimulatedCalleeHangsUpAndIsBilled() {
        var body = new LinkedHashMap<String, Object>();
        body.put("agent_id", SandboxSeed.VOICE_AGENT.toString());
        body.put("to_number", "+12025550123");
        body.put("record", true);
        var placed = sandbox().post("/calls/outbound", body).json();
        var id = placed.get("call_id").asString();

        var ended = awaitStatus(id, "completed");

        assertThat(ended.get("end_reason").asString()).isEqualTo("hangup_by_callee");
        assertThat(ended.get("duration_seconds").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(ended.get("cost").decimalValue()).isPositive();
        // the recording's end is its own event (egress_ended), after the callee's
        var holder = new tools.jackson.databind.JsonNode[1];
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    holder[0] = sandbox().get("/calls/" + id).json().get("recording");
                    return holder[0].get("status").asString().equals("completed");
                });
        assertThat(holder[0].get("location").asString()).isEqualTo("sandbox://recordings/" + id + ".ogg");
    }

    @Test
    void theHangUpApiWorksInTheSandbox() {
        var body = new LinkedHashMap<String, Object>();
        body.put("agent_id", SandboxSeed.VOICE_AGENT.toString());
        body.put("to_number", "+12025550102");
        body.put("ringing_timeout_seconds", 30);
        var placed = sandbox().post("/calls/outbound", body).json();
        var id = placed.get("call_id").asString();
        awaitStatus(id, "ringing");

        var response = sandbox().post("/calls/" + id + "/hangup");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("canceled");
        assertThat(awaitStatus(id, "canceled").get("end_reason").asString()).isEqualTo("hangup_api");
    }

    @Test
    void sandboxModeAcceptsNoLiveKitWebhooks() {
        var response = Api.at(port)
                .withHeader("Authorization", "x")
                .send("POST", "/webhooks/livekit", "application/webhook+json", "{}");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("detail").asString()).contains("sandbox mode");
    }

    private tools.jackson.databind.JsonNode awaitStatus(String id, String status) {
        var holder = new tools.jackson.databind.JsonNode[1];
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    holder[0] = sandbox().get("/calls/" + id).json();
                    return status.equals(holder[0].get("status").asString());
                });
        return holder[0];
    }

    @Test
    void theTextAgentsNumberShowsTheTextAgentRefusal() {
        var response = sandbox().post("/telephony/outbound-call?to_number=%2B12025550123&from_number=%2B12025550199");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asString()).isEqualTo("TEXT_AGENT_NOT_SUPPORTED");
    }

    @Test
    void adminApiIsDisabledWithoutAToken() {
        var response = Api.at(port).withKey("anything").post("/admin/organizations", Map.of("name", "x"));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("code").asString()).isEqualTo("ADMIN_API_DISABLED");
        assertThat(response.json().get("detail").asString()).contains("DIALPLANE_ADMIN_TOKEN");
    }

    @Test
    void theCapacityNumberIsRetriedThenFailsForCarrierCapacity() {
        // the refusals pause the trunk they came through (as a real carrier's would): a trunk of its
        // own keeps that pause from holding up the other tests' calls on the demo trunk
        var trunk = sandbox()
                .post(
                        "/sip-trunks",
                        Map.of(
                                "name",
                                "Capacity",
                                "address",
                                "sip.capacity.invalid",
                                "username",
                                "u",
                                "password",
                                "capacity-password"));
        assertThat(trunk.status()).as(trunk.text()).isEqualTo(201);
        var number = sandbox()
                .post(
                        "/phone-numbers",
                        Map.of(
                                "number", "+12025550197",
                                "sip_trunk_id", trunk.json().get("id").asString(),
                                "outbound_agent_id", SandboxSeed.VOICE_AGENT.toString()));
        assertThat(number.status()).as(number.text()).isEqualTo(201);

        var response = sandbox()
                .post(
                        "/calls/outbound",
                        Map.of(
                                "agent_id",
                                SandboxSeed.VOICE_AGENT.toString(),
                                "from_number",
                                "+12025550197",
                                "to_number",
                                "+12025550108",
                                "wait_until_answered",
                                true,
                                "ringing_timeout_seconds",
                                20));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var call = response.json();
        assertThat(call.get("status").asString()).isEqualTo("failed");
        assertThat(call.get("end_reason").asString()).isEqualTo("carrier_capacity");
        assertThat(call.get("sip_status_code").asInt()).isEqualTo(503);
        var statuses = new java.util.ArrayList<String>();
        sandbox()
                .get("/calls/" + call.get("call_id").asString() + "/events")
                .json()
                .get("data")
                .forEach(event -> statuses.add(event.get("status").asString()));
        // the first dial and three retries, never ringing: nobody's phone rang
        assertThat(statuses)
                .containsExactly(
                        "queued", "dialing", "queued", "dialing", "queued", "dialing", "queued", "dialing", "failed");
    }

    @Test
    void openApiDocumentDescribesTheSnakeCaseApi() {
        var doc = Api.at(port).get("/v3/api-docs");
        assertThat(doc.status()).isEqualTo(200);
        var schemas = doc.json().get("components").get("schemas");
        assertThat(schemas.get("OutboundCallRequest").get("properties").propertyNames())
                .contains("agent_id", "to_number", "ringing_timeout_seconds", "custom_headers");
        assertThat(doc.json().get("paths").propertyNames())
                .contains("/telephony/outbound-call", "/calls/outbound", "/calls/{id}");
        for (var path : java.util.List.of("/telephony/outbound-call", "/calls/outbound")) {
            var post = doc.json().get("paths").get(path).get("post");
            assertThat(post.get("parameters").findValuesAsString("name"))
                    .as(path)
                    .contains("Idempotency-Key");
            assertThat(post.get("responses").propertyNames()).as(path).contains("503");
        }
        assertThat(schemas.get("OutboundCallResponse").get("properties").propertyNames())
                .contains("queue_position", "estimated_start_at");
    }

    private Api sandbox() {
        return Api.at(port).withKey(SandboxSeed.API_KEY);
    }

    private static Path tempKeyFile() {
        try {
            return Files.createTempDirectory("dialplane-sandbox").resolve("master.key");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
