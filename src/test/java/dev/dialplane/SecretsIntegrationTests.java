package dev.dialplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * No trunk password, API key, admin token, master key, LiveKit secret or call report token appears
 * in a response (beyond the one that creates a key), an error, or a log line, through a whole
 * working day of requests, failures included.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsIntegrationTests extends LiveKitIntegrationTest {

    private static final String PASSWORD = "Tr0ub4dor&3-very-secret";

    @Autowired
    JdbcClient jdbc;

    @Test
    void secretsStayOutOfResponsesErrorsAndLogs(CapturedOutput output) {
        var responses = new ArrayList<Api.Response>();
        var created = admin().post("/admin/organizations", Map.of("name", "Secretive", "credits", 10));
        var apiKey = created.json().get("api_key").asString();
        var api = anonymous().withKey(apiKey);
        windowOff(api);

        var agent = create(api, "/agents", Map.of("name", "A", "architecture", "pipeline", "livekit_agent_name", "a"));
        var trunkResponse = api.post(
                "/sip-trunks",
                Map.of("name", "T", "address", "sip.example.com", "username", "u", "password", PASSWORD));
        responses.add(trunkResponse);
        var trunkId = trunkResponse.json().get("id").asString();
        responses.add(api.post(
                "/phone-numbers",
                Map.of(
                        "number",
                        "+12025550100",
                        "sip_trunk_id",
                        trunkId,
                        "outbound_agent_id",
                        agent.get("id").asString())));
        // invalid writes that carry the password must not echo it
        responses.add(api.post("/sip-trunks", Map.of("name", "", "address", "sip:bad@host", "password", PASSWORD)));
        responses.add(api.patch("/sip-trunks/" + trunkId, Map.of("password", PASSWORD, "transport", "carrier-pigeon")));
        responses.add(api.send("POST", "/sip-trunks", "application/json", "{\"password\": \"" + PASSWORD + "\", "));
        // calls that succeed and fail, so the password is decrypted and sent to LiveKit
        responses.add(api.post("/telephony/outbound-call?to_number=%2B12025550123&from_number=%2B12025550100"));
        LIVEKIT.onDial("+12025550101", DialScript.authFailure());
        responses.add(api.post("/telephony/outbound-call?to_number=%2B12025550101&from_number=%2B12025550100"));
        LIVEKIT.onDial("+12025550102", DialScript.sipFailure(403, "Forbidden"));
        responses.add(api.post(
                "/calls/outbound",
                body(
                        "agent_id",
                        agent.get("id").asString(),
                        "to_number",
                        "+12025550102",
                        "wait_until_answered",
                        true)));
        responses.add(api.get("/sip-trunks/" + trunkId));
        responses.add(api.get("/sip-trunks"));
        responses.add(api.get("/api-keys"));
        responses.add(anonymous().withKey(apiKey + "x").get("/agents"));
        responses.add(anonymous().withKey(ADMIN_TOKEN + "x").post("/admin/organizations", Map.of("name", "x")));

        // the answered call's agent reports its outcome with its report token, right and wrong
        var dispatch =
                LIVEKIT.requests("AgentDispatchService", "CreateDispatch").getFirst();
        var job = tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree(dispatch.bodyAs(CreateAgentDispatchRequest.class).getMetadata());
        var reportToken = job.get("dialplane.report_token").asString();
        var reportPath =
                java.net.URI.create(job.get("dialplane.report_url").asString()).getPath();
        var roomAgent = anonymous().withKey(reportToken);
        var reported = roomAgent.post(reportPath, Map.of("answered_by", "human", "disposition", "interested"));
        assertThat(reported.status()).as(reported.text()).isEqualTo(200);
        responses.add(reported);
        responses.add(roomAgent.post(reportPath, Map.of("answered_by", "robot")));
        responses.add(roomAgent.send("POST", reportPath, "application/json", "{\"summary\": \"" + reportToken + "\""));
        responses.add(
                roomAgent.post("/calls/" + java.util.UUID.randomUUID() + "/outcome", Map.of("answered_by", "human")));
        responses.add(anonymous().withKey(reportToken + "x").post(reportPath, Map.of("answered_by", "human")));
        responses.add(roomAgent.get("/calls"));
        var callId = reportPath.split("/")[2];
        responses.add(api.get("/calls/" + callId));
        responses.add(api.get("/calls/" + callId + "/events"));

        var sent = LIVEKIT.requests("SIP", "CreateSIPParticipant").getFirst().bodyAs(CreateSIPParticipantRequest.class);
        assertThat(sent.getTrunk().getAuthPassword())
                .as("LiveKit receives the decrypted password")
                .isEqualTo(PASSWORD);

        var secrets = List.of(PASSWORD, apiKey, ADMIN_TOKEN, MASTER_KEY, LIVEKIT.apiSecret(), reportToken);
        for (var response : responses) {
            for (var secret : secrets) {
                assertThat(response.text()).as("response " + response.status()).doesNotContain(secret);
                response.headers()
                        .values()
                        .forEach(values -> assertThat(String.join(",", values)).doesNotContain(secret));
            }
        }
        for (var secret : secrets) {
            assertThat(output.getAll()).as("log output").doesNotContain(secret);
        }

        var stored = jdbc.sql("select password_ciphertext from sip_trunks where id = :id")
                .param("id", java.util.UUID.fromString(trunkId))
                .query(String.class)
                .single();
        assertThat(stored).isNotBlank().doesNotContain(PASSWORD);
        var keyHashes =
                jdbc.sql("select key_hash from api_keys").query(String.class).list();
        assertThat(keyHashes)
                .doesNotContain(apiKey)
                .allSatisfy(hash -> assertThat(hash).hasSize(64));
        var tokenHashes = jdbc.sql("select token_hash from call_report_tokens where call_id = :id")
                .param("id", java.util.UUID.fromString(callId))
                .query(String.class)
                .list();
        assertThat(tokenHashes)
                .hasSize(1)
                .doesNotContain(reportToken)
                .allSatisfy(hash -> assertThat(hash).hasSize(64));
    }

    /**
     * A campaign's webhook secret, the client's or a generated one, is in no response but the
     * create that generated it, no error and no log line, while messages are signed with it and
     * their deliveries fail and are logged.
     */
    @Test
    void campaignWebhookSecretsStayOutOfResponsesErrorsAndLogs(CapturedOutput output) {
        var setup = newSetup();
        var api = setup.api();
        var clientSecret = "client-campaign-secret-" + java.util.UUID.randomUUID();
        var responses = new ArrayList<Api.Response>();
        // nothing listens on port 9: every delivery fails and is retried
        var hook = "http://127.0.0.1:9/hook";
        var target = List.of(Map.of("to_number", "+12125550177"));
        var given = api.post(
                "/campaigns",
                body(
                        "agent_id",
                        setup.agentId(),
                        "name",
                        "Given",
                        "targets",
                        target,
                        "webhook_url",
                        hook,
                        "webhook_secret",
                        clientSecret,
                        "notify_on_call_complete",
                        true));
        assertThat(given.status()).as(given.text()).isEqualTo(200);
        responses.add(given);
        var generated = api.post(
                "/campaigns",
                body("agent_id", setup.agentId(), "name", "Generated", "targets", target, "webhook_url", hook));
        assertThat(generated.status()).as(generated.text()).isEqualTo(200);
        var generatedSecret = generated.json().get("webhook_secret").asString();
        assertThat(generatedSecret).startsWith("whsec_");
        // refusals that carry the secret
        responses.add(api.post(
                "/campaigns",
                body("agent_id", setup.agentId(), "name", "", "targets", target, "webhook_secret", clientSecret)));
        responses.add(api.post(
                "/campaigns",
                body(
                        "agent_id",
                        setup.agentId(),
                        "name",
                        "Bad url",
                        "targets",
                        target,
                        "webhook_url",
                        "ftp://x",
                        "webhook_secret",
                        clientSecret + " ")));
        responses.add(
                api.send("POST", "/campaigns", "application/json", "{\"webhook_secret\": \"" + clientSecret + "\", "));
        var id = given.json().get("campaign_id").asString();
        // the campaign's first message is signed with the secret and its delivery fails
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .until(() -> api.get("/campaigns/" + id + "/webhook-deliveries")
                        .json()
                        .get("data")
                        .valueStream()
                        .anyMatch(d -> d.get("attempts").asInt() > 0));
        responses.add(api.post("/campaigns/" + id + "/cancel"));
        for (var campaign : List.of(id, generated.json().get("campaign_id").asString())) {
            responses.add(api.get("/campaigns/" + campaign));
            responses.add(api.get("/campaigns/" + campaign + "/events"));
            var deliveries = api.get("/campaigns/" + campaign + "/webhook-deliveries");
            responses.add(deliveries);
            deliveries
                    .json()
                    .get("data")
                    .valueStream()
                    .forEach(d -> responses.add(api.get("/campaigns/" + campaign + "/webhook-deliveries/"
                            + d.get("id").asString())));
        }
        responses.add(api.get("/campaigns"));
        responses.add(api.get("/webhook-endpoints"));

        for (var response : responses) {
            for (var secret : List.of(clientSecret, generatedSecret)) {
                assertThat(response.text()).as("response " + response.status()).doesNotContain(secret);
            }
        }
        for (var secret : List.of(clientSecret, generatedSecret)) {
            assertThat(output.getAll()).as("log output").doesNotContain(secret);
        }
        var stored = jdbc.sql("select secret_ciphertext from webhook_endpoints where campaign_id is not null")
                .query(String.class)
                .list();
        assertThat(stored)
                .isNotEmpty()
                .allSatisfy(ciphertext ->
                        assertThat(ciphertext).doesNotContain(clientSecret).doesNotContain(generatedSecret));
    }
}
