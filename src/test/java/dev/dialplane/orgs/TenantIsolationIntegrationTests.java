package dev.dialplane.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Another organization's agents, trunks, numbers, keys and calls are "not found" on every route. */
class TenantIsolationIntegrationTests extends LiveKitIntegrationTest {

    @Test
    void anotherOrganizationsResourcesAreNotFoundEverywhere() {
        var owner = newSetup();
        var call = owner.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", owner.agentId(), "to_number", "+12025550123", "wait_until_answered", true))
                .json();
        var callId = call.get("call_id").asString();
        var keyId =
                owner.api().get("/api-keys").json().get("data").get(0).get("id").asString();
        var intruder = newSetup().api();

        for (var path : new String[] {
            "/agents/" + owner.agentId(),
            "/sip-trunks/" + owner.trunkId(),
            "/phone-numbers/" + owner.numberId(),
            "/api-keys/" + keyId,
            "/calls/" + callId,
            "/calls/" + callId + "/events"
        }) {
            assertNotFound(intruder.get(path), "GET " + path);
            if (!path.startsWith("/calls")) {
                assertNotFound(intruder.delete(path), "DELETE " + path);
            }
            if (!path.startsWith("/calls") && !path.startsWith("/api-keys")) {
                assertNotFound(intruder.patch(path, Map.of("name", "mine now")), "PATCH " + path);
            }
        }
        for (var list : new String[] {"/agents", "/sip-trunks", "/phone-numbers", "/api-keys"}) {
            var text = intruder.get(list).text();
            assertThat(text)
                    .doesNotContain(
                            owner.agentId().toString(),
                            owner.trunkId().toString(),
                            owner.numberId().toString(),
                            keyId);
        }

        // references in bodies are resolved inside the caller's organization only
        assertNotFound(
                intruder.post("/phone-numbers", Map.of("number", "+12025550188", "sip_trunk_id", owner.trunkId())),
                "number on foreign trunk");
        assertNotFound(
                intruder.post("/calls/outbound", body("agent_id", owner.agentId(), "to_number", "+12025550123")),
                "call with foreign agent");
        var ownNumberForeignAgent = intruder.post(
                "/calls/outbound",
                body("agent_id", owner.agentId(), "to_number", "+12025550123", "from_number", owner.fromNumber()));
        assertNotFound(ownNumberForeignAgent, "call with foreign agent and number");

        // the owner's resources are untouched
        assertThat(owner.api()
                        .get("/agents/" + owner.agentId())
                        .json()
                        .get("name")
                        .asString())
                .isEqualTo("Sales Agent");
        assertThat(owner.api().get("/calls/" + callId).status()).isEqualTo(200);
    }

    @Test
    void aForeignCallerNumberIsNotFoundOnTheTalkifaiRoute() {
        var owner = newSetup();
        var intruder = newOrganization().api();
        var response = intruder.post("/telephony/outbound-call?to_number=%2B12025550123&from_number="
                + owner.fromNumber().replace("+", "%2B"));
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("code").asString()).isEqualTo("PHONE_NUMBER_NOT_FOUND");
        assertNothingReachedLiveKitFor(owner);
    }

    private static void assertNotFound(Api.Response response, String what) {
        assertThat(response.status()).as(what + ": " + response.text()).isEqualTo(404);
    }
}
