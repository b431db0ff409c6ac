package dev.dialplane.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * TalkifAI clients send their API key as {@code x-api-key} (its authentication page) or as
 * {@code Authorization: Bearer} (its other pages): every API-key route takes either, and two
 * different keys are refused rather than one picked.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyHeaderIntegrationTests extends LiveKitIntegrationTest {

    @Test
    void xApiKeyAuthenticatesEveryKindOfRoute(CapturedOutput output) {
        var setup = newSetup();
        var key = secondKey(setup.api());
        var byHeader = anonymous().withHeader("x-api-key", key);

        assertThat(byHeader.get("/agents/" + setup.agentId()).status()).isEqualTo(200);
        assertThat(byHeader.get("/credits").status()).isEqualTo(200);
        assertThat(byHeader.put("/compliance-policy", Map.of("dnc_enforced", true))
                        .status())
                .isEqualTo(200);
        var placed = byHeader.post(
                "/calls/outbound",
                body("agent_id", setup.agentId(), "to_number", uniqueNumber(), "wait_until_answered", true));
        assertThat(placed.status()).as(placed.text()).isEqualTo(200);
        var callId = placed.json().get("call_id").asString();
        assertThat(byHeader.get("/calls/" + callId).status()).isEqualTo(200);
        assertThat(byHeader.get("/calls/agent/" + setup.agentId() + "/calls").status())
                .isEqualTo(200);
        var reported = byHeader.post("/calls/" + callId + "/outcome", Map.of("disposition", "interested"));
        assertThat(reported.status()).as(reported.text()).isEqualTo(200);
        assertThat(reported.json().get("disposition").asString()).isEqualTo("interested");
        assertThat(byHeader.post("/calls/" + callId + "/end").status()).isEqualTo(200);
        var talkifai = byHeader.post(
                "/telephony/outbound-call?to_number=%2B12025550123&from_number=" + query(setup.fromNumber()));
        assertThat(talkifai.status()).as(talkifai.text()).isEqualTo(200);
        assertThat(talkifai.json().get("success").asBoolean()).isTrue();
        // leading and trailing spaces are not part of the key; the same key in both headers is one key
        assertThat(anonymous()
                        .withHeader("x-api-key", " " + key + " ")
                        .get("/credits")
                        .status())
                .isEqualTo(200);
        assertThat(anonymous()
                        .withKey(key)
                        .withHeader("x-api-key", key)
                        .get("/credits")
                        .status())
                .isEqualTo(200);
        assertThat(output.getAll()).doesNotContain(key);
    }

    @Test
    void twoDifferentKeysAre401NamingTheConflictInEachDialect(CapturedOutput output) {
        var setup = newSetup();
        var key = secondKey(setup.api());
        var other = secondKey(newOrganization().api());

        var both = anonymous().withKey(key).withHeader("x-api-key", other);
        var problem = both.get("/credits");
        assertThat(problem.status()).isEqualTo(401);
        assertThat(problem.json().get("code").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(problem.json().get("detail").asString()).contains("Authorization: Bearer", "x-api-key", "different");
        assertThat(problem.text()).doesNotContain(key).doesNotContain(other);

        var envelope =
                both.post("/telephony/outbound-call?to_number=%2B12025550123&from_number=" + query(setup.fromNumber()));
        assertThat(envelope.status()).isEqualTo(401);
        assertThat(envelope.json().get("success").asBoolean()).isFalse();
        assertThat(envelope.json().get("code").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(envelope.json().get("error").asString()).contains("x-api-key");

        var report =
                both.post("/calls/6f1c8a52-3c1e-4b8e-9d0a-1f2e3d4c5b6a/outcome", Map.of("disposition", "interested"));
        assertThat(report.status()).isEqualTo(401);
        assertThat(report.json().get("detail").asString()).contains("x-api-key");

        var placed = both.post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", uniqueNumber()));
        assertThat(placed.status()).isEqualTo(401);
        assertThat(setup.api().get("/calls").json().get("data").size()).isZero();
        assertThat(output.getAll()).doesNotContain(key).doesNotContain(other);
    }

    @Test
    void aWrongOrMissingXApiKeyIs401() {
        var wrong = anonymous().withHeader("x-api-key", "dp_" + UUID.randomUUID());
        assertThat(wrong.get("/credits").status()).isEqualTo(401);
        assertThat(wrong.get("/credits").json().get("detail").asString()).contains("not valid");
        var blank = anonymous().withHeader("x-api-key", " ").get("/credits");
        assertThat(blank.status()).isEqualTo(401);
        assertThat(blank.json().get("detail").asString()).contains("x-api-key");
        // the admin API takes its token as a bearer only: an organization's way in is not the operator's
        assertThat(anonymous()
                        .withHeader("x-api-key", ADMIN_TOKEN)
                        .post("/admin/organizations", Map.of("name", "Nope"))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void anIdempotencyKeyIsScopedToTheOrganizationOfAnXApiKey() {
        var setup = newSetup();
        var byHeader = anonymous().withHeader("x-api-key", secondKey(setup.api()));
        var request = body("agent_id", setup.agentId(), "to_number", uniqueNumber());
        var idempotencyKey = "retry-" + UUID.randomUUID();

        var first = byHeader.withHeader("Idempotency-Key", idempotencyKey).post("/calls/outbound", request);
        var retry = setup.api().withHeader("Idempotency-Key", idempotencyKey).post("/calls/outbound", request);

        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json().get("call_id").asString())
                .isEqualTo(first.json().get("call_id").asString());
    }

    /** A new API key of the organization, as its creation shows it once. */
    private static String secondKey(Api api) {
        var created = api.post("/api-keys", Map.of("name", "talkifai client"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("key").asString();
    }
}
