package dev.dialplane.management;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Agents, SIP trunks, phone numbers and API keys, as an organization manages them. */
class ManagementApiIntegrationTests extends LiveKitIntegrationTest {

    @Test
    void agentsCanBeCreatedReadPatchedAndDeleted() {
        var api = newOrganization().api();
        var agent = create(
                api,
                "/agents",
                Map.of("name", "Support", "architecture", "realtime", "livekit_agent_name", "support-v2"));
        assertThat(agent.propertyNames())
                .containsExactly(
                        "id", "name", "architecture", "livekit_agent_name", "record", "created_at", "updated_at");
        var path = "/agents/" + agent.get("id").asString();

        assertThat(api.get(path).json()).isEqualTo(agent);
        var renamed = api.patch(path, Map.of("name", "Support EU"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asString()).isEqualTo("Support EU");
        assertThat(renamed.json().get("livekit_agent_name").asString()).isEqualTo("support-v2");
        assertThat(renamed.json().get("architecture").asString()).isEqualTo("realtime");

        assertThat(api.delete(path).status()).isEqualTo(204);
        assertThat(api.get(path).status()).isEqualTo(404);
        assertThat(api.delete(path).status()).isEqualTo(404);
    }

    @Test
    void agentValidation() {
        var api = newOrganization().api();
        var badArchitecture = api.post("/agents", Map.of("name", "A", "architecture", "telepathy"));
        assertThat(badArchitecture.status()).isEqualTo(422);
        assertThat(badArchitecture.json().get("errors").get(0).get("field").asString())
                .isEqualTo("architecture");
        assertThat(badArchitecture.json().get("errors").get(0).get("message").asString())
                .isEqualTo("'telepathy' is not one of pipeline, realtime, text");

        var noName = api.post("/agents", Map.of("architecture", "pipeline", "livekit_agent_name", "x"));
        assertThat(noName.status()).isEqualTo(422);
        assertThat(noName.json().get("errors").get(0).get("field").asString()).isEqualTo("name");

        var voiceWithoutWorker = api.post("/agents", Map.of("name", "A", "architecture", "pipeline"));
        assertThat(voiceWithoutWorker.status()).isEqualTo(422);
        assertThat(voiceWithoutWorker.json().get("errors").get(0).get("field").asString())
                .isEqualTo("livekit_agent_name");

        var text = create(api, "/agents", Map.of("name", "Chat", "architecture", "text"));
        var toVoice = api.patch("/agents/" + text.get("id").asString(), Map.of("architecture", "pipeline"));
        assertThat(toVoice.status()).isEqualTo(422);

        // a PATCH explains a wrong value exactly as a POST does
        var patchedBadArchitecture =
                api.patch("/agents/" + text.get("id").asString(), Map.of("architecture", "telepathy"));
        assertThat(patchedBadArchitecture.status()).isEqualTo(422);
        assertThat(patchedBadArchitecture
                        .json()
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asString())
                .isEqualTo("architecture");
        assertThat(patchedBadArchitecture
                        .json()
                        .get("errors")
                        .get(0)
                        .get("message")
                        .asString())
                .isEqualTo("'telepathy' is not one of pipeline, realtime, text");

        var notAnObject = api.patch("/agents/" + text.get("id").asString(), List.of(1, 2));
        assertThat(notAnObject.status()).isEqualTo(400);
    }

    @Test
    void trunkPasswordsAreWriteOnly() {
        var api = newOrganization().api();
        var trunk = create(
                api,
                "/sip-trunks",
                Map.of("name", "Telnyx", "address", "sip.telnyx.com", "username", "u1", "password", "hunter2-secret"));
        assertThat(trunk.has("password")).isFalse();
        assertThat(trunk.get("has_password").asBoolean()).isTrue();
        assertThat(trunk.get("transport").asString()).isEqualTo("auto");
        assertThat(trunk.get("shared").asBoolean()).isFalse();
        assertThat(trunk.toString()).doesNotContain("hunter2-secret");
        var path = "/sip-trunks/" + trunk.get("id").asString();

        var renamed = api.patch(path, Map.of("name", "Telnyx US"));
        assertThat(renamed.json().get("has_password").asBoolean()).isTrue();
        var listed = api.get("/sip-trunks").text();
        assertThat(listed).doesNotContain("hunter2-secret");

        var cleared = api.patch(path, body("password", null));
        assertThat(cleared.json().get("has_password").asBoolean()).isFalse();
        var set = api.patch(path, Map.of("password", "new-secret"));
        assertThat(set.json().get("has_password").asBoolean()).isTrue();
        assertThat(set.text()).doesNotContain("new-secret");
    }

    @Test
    void trunkValidation() {
        var api = newOrganization().api();
        var uri = api.post("/sip-trunks", Map.of("name", "T", "address", "sip:carrier.example.com"));
        assertThat(uri.status()).isEqualTo(422);
        assertThat(uri.json().get("errors").get(0).get("message").asString()).contains("without the 'sip:' scheme");

        var userInAddress = api.post("/sip-trunks", Map.of("name", "T", "address", "user@carrier.example.com"));
        assertThat(userInAddress.json().get("errors").get(0).get("message").asString())
                .contains("'username'");

        var params = api.post("/sip-trunks", Map.of("name", "T", "address", "carrier.example.com;transport=tcp"));
        assertThat(params.json().get("errors").get(0).get("message").asString()).contains("set 'transport' instead");

        var port = api.post("/sip-trunks", Map.of("name", "T", "address", "carrier.example.com:70000"));
        assertThat(port.json().get("errors").get(0).get("message").asString()).contains("port");

        var nowhere = api.post("/sip-trunks", Map.of("name", "T"));
        assertThat(nowhere.status()).isEqualTo(422);
        assertThat(nowhere.json().get("errors").get(0).get("field").asString()).isEqualTo("address");

        var country =
                api.post("/sip-trunks", Map.of("name", "T", "address", "10.0.0.1:5061", "destination_country", "USA"));
        assertThat(country.json().get("errors").get(0).get("field").asString()).isEqualTo("destination_country");

        var transport = api.post("/sip-trunks", Map.of("name", "T", "address", "10.0.0.1", "transport", "sctp"));
        assertThat(transport.json().get("errors").get(0).get("message").asString())
                .isEqualTo("'sctp' is not one of auto, udp, tcp, tls");

        var storedOnly = api.post("/sip-trunks", Map.of("name", "LiveKit trunk", "livekit_trunk_id", "ST_abc123"));
        assertThat(storedOnly.status()).isEqualTo(201);
        var ipv6 = api.post("/sip-trunks", Map.of("name", "v6", "address", "[2001:db8::1]:5060", "transport", "tls"));
        assertThat(ipv6.status()).as(ipv6.text()).isEqualTo(201);
    }

    @Test
    void sharedTrunksAreTheOperatorsAndReadOnlyForOrganizations() {
        var shared = create(
                admin(),
                "/admin/sip-trunks",
                Map.of(
                        "name",
                        "Operator carrier",
                        "address",
                        "sip.operator.example",
                        "password",
                        "operator-secret",
                        "cps_limit",
                        5,
                        "max_channels",
                        20));
        assertThat(shared.get("shared").asBoolean()).isTrue();
        assertThat(shared.get("cps_limit").asInt()).isEqualTo(5);
        assertThat(shared.toString()).doesNotContain("operator-secret");
        var id = shared.get("id").asString();

        var org = newOrganization().api();
        assertThat(org.get("/sip-trunks/" + id).json().get("shared").asBoolean())
                .isTrue();
        assertThat(org.get("/sip-trunks").text()).contains(id);
        var change = org.patch("/sip-trunks/" + id, Map.of("name", "mine"));
        assertThat(change.status()).isEqualTo(403);
        assertThat(change.json().get("code").asString()).isEqualTo("SHARED_TRUNK");
        assertThat(org.delete("/sip-trunks/" + id).status()).isEqualTo(403);
        var number = create(org, "/phone-numbers", Map.of("number", uniqueNumber(), "sip_trunk_id", id));

        assertThat(admin().patch("/admin/sip-trunks/" + id, Map.of("cps_limit", 10))
                        .json()
                        .get("cps_limit")
                        .asInt())
                .isEqualTo(10);
        assertThat(admin().delete("/admin/sip-trunks/" + id).status()).isEqualTo(409);
        assertThat(org.delete("/phone-numbers/" + number.get("id").asString()).status())
                .isEqualTo(204);
        assertThat(admin().delete("/admin/sip-trunks/" + id).status()).isEqualTo(204);
        assertThat(org.get("/sip-trunks/" + id).status()).isEqualTo(404);
        // an organization's own trunk is not an admin trunk
        var own = create(org, "/sip-trunks", Map.of("name", "own", "address", "sip.own.example"));
        assertThat(admin().get("/admin/sip-trunks/" + own.get("id").asString()).status())
                .isEqualTo(404);
    }

    @Test
    void trunkLimitsAreValidated() {
        var api = newOrganization().api();
        var bad = api.post(
                "/sip-trunks", Map.of("name", "T", "address", "sip.example.com", "cps_limit", 0, "max_channels", -1));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json()
                        .get("errors")
                        .valueStream()
                        .map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("cps_limit", "max_channels");
        var fractional = api.post("/sip-trunks", Map.of("name", "T", "address", "sip.example.com", "cps_limit", 2.5));
        assertThat(fractional.status()).isEqualTo(422);
    }

    @Test
    void numbersReferenceTheOrganizationsOwnTrunkAndAgents() {
        var setup = newSetup();
        var api = setup.api();
        var invalid = api.post("/phone-numbers", Map.of("number", "202-555-0100", "sip_trunk_id", setup.trunkId()));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().get("errors").get(0).get("field").asString()).isEqualTo("number");

        var duplicate =
                api.post("/phone-numbers", Map.of("number", setup.fromNumber(), "sip_trunk_id", setup.trunkId()));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("code").asString()).isEqualTo("PHONE_NUMBER_EXISTS");

        var unknownTrunk = api.post(
                "/phone-numbers",
                Map.of("number", "+12025550111", "sip_trunk_id", "3c90c3cc-0d44-4b50-8888-8dd25736052a"));
        assertThat(unknownTrunk.status()).isEqualTo(404);
        assertThat(unknownTrunk.json().get("code").asString()).isEqualTo("SIP_TRUNK_NOT_FOUND");

        var unknownAgent = api.post(
                "/phone-numbers",
                Map.of(
                        "number",
                        "+12025550111",
                        "sip_trunk_id",
                        setup.trunkId(),
                        "inbound_agent_id",
                        "3c90c3cc-0d44-4b50-8888-8dd25736052a"));
        assertThat(unknownAgent.status()).isEqualTo(404);
        assertThat(unknownAgent.json().get("detail").asString()).startsWith("inbound_agent_id");

        var spaced =
                create(api, "/phone-numbers", Map.of("number", "+44 20 7183 8750", "sip_trunk_id", setup.trunkId()));
        assertThat(spaced.get("number").asString()).isEqualTo("+442071838750");
        var path = "/phone-numbers/" + spaced.get("id").asString();
        var assigned =
                api.patch(path, Map.of("outbound_agent_id", setup.agentId(), "inbound_agent_id", setup.agentId()));
        assertThat(assigned.json().get("outbound_agent_id").asString())
                .isEqualTo(setup.agentId().toString());
        assertThat(assigned.json().get("number").asString()).isEqualTo("+442071838750");
        assertThat(api.delete(path).status()).isEqualTo(204);
    }

    @Test
    void agentsAndTrunksInUseCannotBeDeleted() {
        var setup = newSetup();
        var api = setup.api();
        var agentDelete = api.delete("/agents/" + setup.agentId());
        assertThat(agentDelete.status()).isEqualTo(409);
        assertThat(agentDelete.json().get("code").asString()).isEqualTo("AGENT_IN_USE");
        assertThat(agentDelete.json().get("detail").asString()).contains(setup.fromNumber());

        var trunkDelete = api.delete("/sip-trunks/" + setup.trunkId());
        assertThat(trunkDelete.status()).isEqualTo(409);
        assertThat(trunkDelete.json().get("code").asString()).isEqualTo("SIP_TRUNK_IN_USE");

        assertThat(api.delete("/phone-numbers/" + setup.numberId()).status()).isEqualTo(204);
        assertThat(api.delete("/agents/" + setup.agentId()).status()).isEqualTo(204);
        assertThat(api.delete("/sip-trunks/" + setup.trunkId()).status()).isEqualTo(204);
    }

    @Test
    void listsPageWithACursor() {
        var api = newOrganization().api();
        var created = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            created.add(create(api, "/agents", Map.of("name", "Agent " + i, "architecture", "text"))
                    .get("id")
                    .asString());
        }
        var seen = new ArrayList<String>();
        String cursor = null;
        int pages = 0;
        do {
            var page = api.get("/agents?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            page.get("data").forEach(agent -> seen.add(agent.get("id").asString()));
            cursor = page.get("next_cursor").isNull()
                    ? null
                    : page.get("next_cursor").asString();
            assertThat(page.get("has_more").asBoolean()).isEqualTo(cursor != null);
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(created.reversed());

        assertThat(api.get("/agents?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/agents?limit=201").status()).isEqualTo(400);
        assertThat(api.get("/agents?limit=abc").status()).isEqualTo(400);
        var badCursor = api.get("/agents?cursor=not-a-cursor");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.json().get("code").asString()).isEqualTo("INVALID_CURSOR");
    }

    @Test
    void apiKeysAreShownOnceAndCanBeRevoked() {
        var org = newOrganization();
        var issued = create(org.api(), "/api-keys", Map.of("name", "ci"));
        var key = issued.get("key").asString();
        assertThat(key).startsWith("dp_").hasSize(43);
        assertThat(issued.get("prefix").asString()).isEqualTo(key.substring(0, 11));
        var path = "/api-keys/" + issued.get("id").asString();

        var read = org.api().get(path).json();
        assertThat(read.has("key")).isFalse();
        assertThat(org.api().get("/api-keys").text()).doesNotContain(key);

        var second = anonymous().withKey(key);
        assertThat(second.get("/agents").status()).isEqualTo(200);
        assertThat(org.api().delete(path).status()).isEqualTo(204);
        assertThat(second.get("/agents").status()).isEqualTo(401);
    }

    @Test
    void theLastKeyCannotBeRevoked() {
        var org = newOrganization();
        var keys = org.api().get("/api-keys").json().get("data");
        assertThat(keys).hasSize(1);
        var response = org.api().delete("/api-keys/" + keys.get(0).get("id").asString());
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().get("code").asString()).isEqualTo("LAST_API_KEY");
    }

    @Test
    void httpLevelErrorsAreProblems() {
        var api = newOrganization().api();
        var unknown = api.get("/no-such-route");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        var method = api.send("PUT", "/agents", "application/json", "{}");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().get("code").asString()).isEqualTo("METHOD_NOT_ALLOWED");
        var badId = api.get("/agents/not-a-uuid");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().get("detail").asString()).isEqualTo("id 'not-a-uuid' is not a UUID");
    }
}
