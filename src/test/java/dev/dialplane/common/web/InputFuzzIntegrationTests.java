package dev.dialplane.common.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property-based (QuickTheories): generated bodies and query parameters, nasty ones included (NUL
 * and other controls, lone surrogates, bidi overrides, huge and over-long numbers, wrong types,
 * deep nesting, duplicate keys, broken JSON), sent to both call routes and every management route.
 * Whatever is sent, the answer is never a 5xx, an error is always in the route's shape, and a
 * refusal stores nothing.
 *
 * <p>Each property has a fixed seed, so CI runs the same examples every time; a failure names its
 * seed, and {@code -Ddialplane.fuzz.seed=<seed>} replays it (or tries other examples).
 */
class InputFuzzIntegrationTests extends LiveKitIntegrationTest {

    static final String SEED_PROPERTY = "dialplane.fuzz.seed";
    private static final int EXAMPLES = 60;
    // every shrink step is an HTTP exchange or three: enough to trim a failing body, not to spend minutes on it
    private static final int SHRINK_CYCLES = 30;
    private static final String UNKNOWN_ID = "6f1c8a52-3c1e-4b8e-9d0a-1f2e3d4c5b6a";

    private Api api;
    private String agentId;
    private String trunkId;
    private String callerNumber;
    private String numberId;

    @BeforeEach
    void organizationWithAgentTrunkAndNumber() {
        var setup = newSetup(1000);
        api = setup.api();
        agentId = setup.agentId().toString();
        trunkId = setup.trunkId().toString();
        callerNumber = setup.fromNumber();
        numberId = setup.numberId().toString();
    }

    // ---- properties -------------------------------------------------------------------------------

    @Test
    void mrAssistantCallBodies() {
        forAll(
                "mrAssistantCallBodies",
                outboundCallBodies(),
                body -> sent("POST", "/calls/outbound", body, api, "/calls"));
    }

    @Test
    void preflightBodies() {
        forAll("preflightBodies", outboundCallBodies(), body -> {
            var before = count(api, "/calls");
            var response = api.send("POST", "/calls/preflight", "application/json", body);
            assertNoServerError(response);
            if (response.status() >= 400) {
                assertProblem(response);
            } else {
                assertThat(response.json().get("would").asString()).isIn("dial_now", "queue", "schedule", "refuse");
            }
            assertThat(count(api, "/calls"))
                    .as("a preflight stores nothing: " + body)
                    .isEqualTo(before);
        });
    }

    @Test
    void campaignBodies() {
        forAll("campaignBodies", campaignBodyValues(), body -> sent("POST", "/campaigns", body, api, "/campaigns"));
    }

    /**
     * MrAssistant's per-campaign webhook fields on an otherwise valid campaign (starting in 2099, so
     * it dials nobody): a 200, or a 422 in FastAPI's form naming only those fields and never echoing
     * the secret.
     */
    @Test
    void campaignWebhookFields() {
        Gen<String> urls = Generate.oneOf(
                pick(
                        "\"http://127.0.0.1:9/hook\"",
                        "\"https://127.0.0.1:9/hook?x=1\"",
                        "\"ftp://127.0.0.1/hook\"",
                        "\"http://user:pw@127.0.0.1:9/\"",
                        "\"http://127.0.0.1:9/#f\"",
                        "\"/relative\"",
                        "\"http://127.0.0.1:9/" + "a".repeat(2100) + "\"",
                        "\"http://127.0.0.1:9/a\\nb\""),
                value());
        Gen<String> secrets = Generate.oneOf(
                pick(
                        "\"fuzz-secret-value-1234\"",
                        "\"whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\"",
                        "\"whsec_not base64\"",
                        "\"whsec_c2hvcnQ=\"",
                        "\"tiny\"",
                        "\"fuzz secret with spaces\"",
                        "\"" + "s".repeat(300) + "\""),
                value());
        var webhookFields = java.util.Set.of("webhook_url", "webhook_secret", "notify_on_call_complete");
        forAll(
                "campaignWebhookFields",
                Generate.oneOf(
                                just("{}"),
                                bodies(
                                        field("webhook_url", urls),
                                        field("webhook_secret", secrets),
                                        field("notify_on_call_complete", booleanish())))
                        .map(fields -> fields.startsWith("{")
                                ? "{\"agent_id\":" + quote(agentId) + ",\"name\":\"Hooks\",\"targets\":"
                                        + "[{\"to_number\":\"+12125550123\"}],\"schedule_at\":\"2099-01-01T00:00:00Z\""
                                        + (fields.equals("{}") ? "}" : "," + fields.substring(1))
                                : fields),
                body -> {
                    var before = count(api, "/campaigns");
                    var response = api.send("POST", "/campaigns", "application/json", body);
                    assertNoServerError(response);
                    assertThat(response.text())
                            .as("the secret is never echoed")
                            .doesNotContain("fuzz-secret-value-1234")
                            .doesNotContain("fuzz secret with spaces");
                    if (response.status() == 200) {
                        assertThat(count(api, "/campaigns")).isEqualTo(before + 1);
                        return;
                    }
                    assertProblem(response);
                    assertThat(count(api, "/campaigns")).as(body).isEqualTo(before);
                    if (response.status() == 422
                            && body.contains("\"Hooks\"")
                            && response.json().get("detail").isArray()) {
                        assertThat(response.json()
                                        .get("detail")
                                        .valueStream()
                                        .map(d -> d.get("loc").get(1).asString())
                                        .toList())
                                .as(body + " → " + response)
                                .allSatisfy(field -> assertThat(
                                                webhookFields.contains(field) || field.equals("unknown_field"))
                                        .isTrue());
                    }
                });
    }

    @Test
    void batchBodies() {
        forAll("batchBodies", batchBodyValues(), body -> {
            var before = batchJobs(api);
            batchSent(api.send("POST", "/batch/create", "application/json", body), before, body);
        });
    }

    @Test
    void batchUploads() {
        var boundary = "fuzz-boundary";
        forAll("batchUploads", csvBodies().zip(batchFormValue(), Pair::of), upload -> {
            var before = batchJobs(api);
            var form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"fromPhoneNumberId\"\r\n\r\n"
                    + numberId + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"
                    + upload._2 + "\r\n--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"concurrentCallLimit\"\r\n\r\n" + upload._2
                    + "\r\n--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n" + upload._1 + "\r\n--" + boundary + "--\r\n";
            var response = api.send("POST", "/batch/create", "multipart/form-data; boundary=" + boundary, form);
            batchSent(response, before, form);
        });
    }

    @Test
    void batchParameters() {
        var job = api.post(
                        "/batch/create",
                        java.util.Map.of(
                                "fromPhoneNumberId",
                                numberId,
                                "name",
                                "Fuzzed",
                                "contacts",
                                List.of(java.util.Map.of("phone", "+12125550123"))))
                .json()
                .get("batchJobId")
                .asString();
        forAll("batchParameters", queryValue().zip(dateValues(), Pair::of), parameters -> {
            var value = parameters._1;
            for (var response : List.of(
                    api.get("/batch/jobs?organizationId=" + value + "&status=" + value + "&page=" + value + "&pageSize="
                            + value),
                    api.get("/batch/jobs?page=" + value),
                    api.get("/batch/jobs/" + value),
                    api.get("/batch/jobs/" + job + "?contactStatus=" + value + "&contactsPage=" + value
                            + "&contactsPageSize=" + value),
                    api.get("/batch/jobs/" + job + "?contactsPage=" + value),
                    api.post("/batch/jobs/" + value + "/start"),
                    api.post("/batch/jobs/" + value + "/cancel"),
                    api.send(
                            "PATCH",
                            "/batch/jobs/" + job + "/reschedule?scheduledStartTime=" + parameters._2 + "&timezone="
                                    + value,
                            null,
                            null),
                    api.send(
                            "POST",
                            "/batch/jobs/" + job + "/reschedule?scheduledStartTime=" + parameters._2,
                            null,
                            null))) {
                assertNoServerError(response);
                if (response.status() >= 400) {
                    assertTalkifaiEnvelope(response);
                }
            }
        });
    }

    @Test
    void talkifaiCallParameters() {
        forAll("talkifaiCallParameters", numberParameters().zip(numberParameters(), Pair::of), parameters -> {
            var before = count(api, "/calls");
            var response =
                    api.post("/telephony/outbound-call?to_number=" + parameters._1 + "&from_number=" + parameters._2);
            assertNoServerError(response);
            if (response.status() >= 400) {
                assertTalkifaiEnvelope(response);
                if (response.header("X-Call-Id") == null) {
                    assertThat(count(api, "/calls"))
                            .as("a refused call is not stored: " + response)
                            .isEqualTo(before);
                }
            }
        });
    }

    @Test
    void agentBodies() {
        forAll("agentBodies", agentBodyValues(), body -> sent("POST", "/agents", body, api, "/agents"));
    }

    @Test
    void agentPatches() {
        // the agent is this test's own: an accepted patch may leave it changed for the next example
        forAll("agentPatches", agentBodyValues(), body -> {
            var before = api.get("/agents/" + agentId).text();
            var response = api.send("PATCH", "/agents/" + agentId, "application/merge-patch+json", body);
            assertNoServerError(response);
            if (response.status() >= 400) {
                assertProblem(response);
                assertThat(api.get("/agents/" + agentId).text())
                        .as("a refused patch changes nothing")
                        .isEqualTo(before);
            }
        });
    }

    @Test
    void compliancePolicyBodies() {
        // the organization is this test's own: an accepted policy may stay for the next example
        forAll("compliancePolicyBodies", compliancePolicyBodyValues(), body -> {
            var before = api.get("/compliance-policy").text();
            var changes = count(api, "/compliance-policy/history");
            var response = api.send("PUT", "/compliance-policy", "application/json", body);
            assertNoServerError(response);
            if (response.status() >= 400) {
                assertProblem(response);
                assertThat(api.get("/compliance-policy").text())
                        .as("a refused policy changes nothing")
                        .isEqualTo(before);
                assertThat(count(api, "/compliance-policy/history")).isEqualTo(changes);
            }
        });
    }

    @Test
    void callOutcomeBodies() {
        var placed =
                api.post("/calls/outbound", "{\"agent_id\":" + quote(agentId) + ",\"to_number\":\"+12025550123\"}");
        assertThat(placed.status()).as(placed.toString()).isEqualTo(200);
        var call = "/calls/" + placed.json().get("call_id").asString();
        forAll("callOutcomeBodies", outcomeBodyValues(), body -> {
            var before = outcomeOf(api.get(call).json());
            var reports = reportEvents(api, call);
            var response = api.send("POST", call + "/outcome", "application/json", body);
            assertNoServerError(response);
            if (response.status() >= 400) {
                assertProblem(response);
                assertThat(outcomeOf(api.get(call).json()))
                        .as("a refused report changes nothing")
                        .isEqualTo(before);
                assertThat(reportEvents(api, call)).isEqualTo(reports);
            } else {
                assertThat(reportEvents(api, call)).isEqualTo(reports + 1);
            }
        });
    }

    /** The call's outcome fields (its status may move on meanwhile). */
    private static List<String> outcomeOf(tools.jackson.databind.JsonNode call) {
        return java.util.stream.Stream.of(
                        "answered_by",
                        "disposition",
                        "summary",
                        "sentiment_score",
                        "language_detected",
                        "outcome_reported_at")
                .map(field -> call.get(field).toString())
                .toList();
    }

    private static long reportEvents(Api client, String call) {
        return client.get(call + "/events")
                .json()
                .get("data")
                .valueStream()
                .filter(e -> e.get("type").asString().equals("outcome_reported"))
                .count();
    }

    @Test
    void trunkBodies() {
        forAll("trunkBodies", trunkBodyValues(), body -> sent("POST", "/sip-trunks", body, api, "/sip-trunks"));
    }

    @Test
    void phoneNumberBodies() {
        forAll(
                "phoneNumberBodies",
                phoneNumberBodyValues(),
                body -> sent("POST", "/phone-numbers", body, api, "/phone-numbers"));
    }

    @Test
    void apiKeyBodies() {
        forAll(
                "apiKeyBodies",
                bodies(field("name", Generate.oneOf(just("\"key\""), value()))),
                body -> sent("POST", "/api-keys", body, api, "/api-keys"));
    }

    @Test
    void memberBodies() {
        // a valid body adds a member once; sent again, its email is taken (409) and nothing is stored
        forAll(
                "memberBodies",
                bodies(
                        field(
                                "email",
                                Generate.oneOf(
                                        pick("\"fuzz@example.com\"", "\"FUZZ@example.com\"", "\"a@b\""), value())),
                        field(
                                "password",
                                Generate.oneOf(
                                        pick("\"twelve chars\"", "\"short\"", "\"" + "é".repeat(40) + "\""), value())),
                        field(
                                "role",
                                Generate.oneOf(pick("\"owner\"", "\"admin\"", "\"viewer\"", "\"Owner\""), value()))),
                body -> sent("POST", "/members", body, api, "/members"));
    }

    @Test
    void webhookEndpointBodies() {
        // a fresh organization now and then: one may hold 20 endpoints
        var examples = new int[1];
        var current = new Api[1];
        forAll("webhookEndpointBodies", webhookEndpointBodyValues(), body -> {
            if (examples[0]++ % 15 == 0) {
                current[0] = newOrganization(1000).api();
            }
            sent("POST", "/webhook-endpoints", body, current[0], "/webhook-endpoints");
        });
    }

    @Test
    void organizationBodies() {
        forAll("organizationBodies", organizationBodyValues(), body -> {
            var response = admin().send("POST", "/admin/organizations", "application/json", body);
            assertNoServerError(response);
            if (response.status() >= 400) {
                assertProblem(response);
            }
        });
    }

    @Test
    void callListParameters() {
        forAll("callListParameters", callListParameter().zip(queryValue(), Pair::of), parameter -> {
            var response = api.get("/calls?" + parameter._1 + "=" + parameter._2);
            assertNoServerError(response);
            if (response.status() >= 400) {
                assertProblem(response);
                assertThat(response.status()).isEqualTo(400);
            }
        });
    }

    @Test
    void transferBodies() {
        // validation comes before the call is looked up: a body that passes meets an unknown call (404)
        forAll("transferBodies", transferBodyValues(), body -> {
            var before = LIVEKIT.requests("SIP", "TransferSIPParticipant").size();
            var response = api.send("POST", "/calls/" + UNKNOWN_ID + "/transfer", "application/json", body);
            assertNoServerError(response);
            assertThat(response.status()).as(body + " → " + response).isGreaterThanOrEqualTo(400);
            assertProblem(response);
            assertThat(LIVEKIT.requests("SIP", "TransferSIPParticipant")).hasSize(before);
        });
    }

    @Test
    void agentCallListParameters() {
        forAll(
                "agentCallListParameters",
                agentCallListParameter().zip(Generate.oneOf(queryValue(), dateValues()), Pair::of),
                parameter -> {
                    for (var agent : List.of(agentId, UNKNOWN_ID)) {
                        var response = api.get("/calls/agent/" + agent + "/calls?" + parameter._1 + "=" + parameter._2);
                        assertNoServerError(response);
                        if (response.status() >= 400) {
                            assertProblem(response);
                            assertThat(response.status()).isIn(400, 404);
                        } else {
                            assertThat(response.json().get("total").asLong()).isGreaterThanOrEqualTo(0);
                        }
                    }
                });
    }

    @Test
    void dncBodies() {
        forAll("dncBodies", dncBodyValues(), body -> {
            var before = count(api, "/dnc");
            var response = api.send("POST", "/dnc", "application/json", body);
            assertNoServerError(response);
            var after = count(api, "/dnc");
            if (response.status() >= 400) {
                assertProblem(response);
                assertThat(after)
                        .as("a refusal lists nothing: " + body + " → " + response)
                        .isEqualTo(before);
            } else {
                assertThat(after)
                        .as(body + " → " + response)
                        .isEqualTo(before + response.json().get("added").asInt());
            }
        });
    }

    @Test
    void dncImports() {
        forAll("dncImports", csvBodies(), csv -> {
            var before = count(api, "/dnc");
            var response = api.send("POST", "/dnc/import", "text/csv", csv);
            assertNoServerError(response);
            var after = count(api, "/dnc");
            if (response.status() >= 400) {
                // MALFORMED_CSV keeps the rows before the error; nothing else refuses an import whole
                assertProblem(response);
                assertThat(response.json().get("code").asString())
                        .as(response.toString())
                        .isEqualTo("MALFORMED_CSV");
            } else {
                var result = response.json();
                assertThat(result.get("rows").asLong())
                        .as(response.toString())
                        .isEqualTo(result.get("added").asLong()
                                + result.get("already_listed").asLong()
                                + result.get("invalid").asLong());
                assertThat(result.get("errors").size())
                        .isEqualTo(result.get("invalid").asInt());
                assertThat(after).isEqualTo(before + result.get("added").asInt());
            }
        });
    }

    @Test
    void campaignTargetUploads() {
        var campaign = laterCampaign();
        forAll("campaignTargetUploads", csvBodies(), csv -> {
            var before = contacts(campaign);
            var response = api.send("POST", "/campaigns/" + campaign + "/targets", "text/csv", csv);
            assertNoServerError(response);
            var after = contacts(campaign);
            if (response.status() >= 400) {
                // a malformed CSV keeps the rows before the error; a header without a number column stores nothing
                assertProblem(response);
                assertThat(response.json().get("code").asString())
                        .as(response.toString())
                        .isIn("MALFORMED_CSV", "MISSING_NUMBER_COLUMN");
                if (response.json().get("code").asString().equals("MISSING_NUMBER_COLUMN")) {
                    assertThat(after).isEqualTo(before);
                }
            } else {
                assertAppended(response, before, after);
            }
        });
    }

    @Test
    void campaignTargetBodies() {
        var campaign = laterCampaign();
        Gen<String> target = bodies(
                field("to_number", Generate.oneOf(numbers(), value())),
                field("from_number", Generate.oneOf(just(quote(callerNumber)), numbers(), value())),
                field("context", value()));
        Gen<String> targets = random -> {
            var items = new ArrayList<String>();
            for (int i = integers().between(0, 4).generate(random); i > 0; i--) {
                items.add(Generate.oneOf(target, value()).generate(random));
            }
            return "[" + String.join(",", items) + "]";
        };
        forAll("campaignTargetBodies", bodies(field("targets", Generate.oneOf(targets, value()))), body -> {
            var before = contacts(campaign);
            var response = api.send("POST", "/campaigns/" + campaign + "/targets", "application/json", body);
            assertNoServerError(response);
            var after = contacts(campaign);
            if (response.status() >= 400) {
                assertProblem(response);
                assertThat(after).as("a refused body stores nothing: " + body).isEqualTo(before);
            } else {
                assertAppended(response, before, after);
            }
        });
    }

    @Test
    void campaignContactParameters() {
        var campaign = laterCampaign();
        forAll("campaignContactParameters", queryValue(), value -> {
            for (var response : List.of(
                    api.get("/campaigns/" + campaign + "/contacts?status=" + value),
                    api.get("/campaigns/" + campaign + "/contacts?limit=" + value + "&cursor=" + value),
                    api.get("/campaigns/" + value + "/contacts"),
                    api.get("/campaigns/" + value + "/results.csv"))) {
                assertNoServerError(response);
                if (response.status() >= 400) {
                    assertProblem(response);
                }
            }
        });
    }

    /** A campaign of this organization that starts tomorrow, so nothing appended to it is dialed. */
    private String laterCampaign() {
        var created = api.post(
                "/campaigns",
                Map.of(
                        "agent_id",
                        agentId,
                        "name",
                        "Fuzzed",
                        "targets",
                        List.of(Map.of("to_number", "+12125550123")),
                        "schedule_at",
                        "2099-01-01T00:00:00Z"));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return created.json().get("campaign_id").asString();
    }

    private long contacts(String campaign) {
        return api.get("/campaigns/" + campaign).json().get("total_targets").asLong();
    }

    private static void assertAppended(Api.Response response, long before, long after) {
        var result = response.json();
        assertThat(result.get("rows").asLong())
                .as(response.toString())
                .isEqualTo(result.get("added").asLong()
                        + result.get("duplicates").asLong()
                        + result.get("invalid").asLong());
        assertThat(result.get("errors").size())
                .isEqualTo(
                        result.get("duplicates").asInt() + result.get("invalid").asInt());
        assertThat(after).isEqualTo(before + result.get("added").asLong());
        assertThat(result.get("total_targets").asLong()).isEqualTo(after);
    }

    @Test
    void dncParameters() {
        forAll("dncParameters", numberParameters().zip(queryValue(), Pair::of), parameters -> {
            for (var response : List.of(
                    api.get("/dnc?number=" + parameters._1),
                    api.get("/dnc?limit=" + parameters._2 + "&cursor=" + parameters._2),
                    api.get("/dnc/import?number=" + parameters._1),
                    api.delete("/dnc/" + parameters._1),
                    api.send("POST", "/dnc/import?reason=" + parameters._2, "text/csv", "+12025550123\n"))) {
                assertNoServerError(response);
                if (response.status() >= 400) {
                    assertProblem(response);
                }
            }
        });
    }

    /**
     * Checks {@code property} on {@value #EXAMPLES} examples from {@code values}, with the property's
     * own fixed seed unless {@code -Ddialplane.fuzz.seed} gives one; a failure says how to replay it.
     */
    private static <T> void forAll(String property, Gen<T> values, Consumer<T> check) {
        var seed = seed(property);
        try {
            qt().withFixedSeed(seed)
                    .withExamples(EXAMPLES)
                    .withShrinkCycles(SHRINK_CYCLES)
                    .forAll(values.describedAs(InputFuzzIntegrationTests::abbreviated))
                    .checkAssert(check);
        } catch (AssertionError e) {
            throw new AssertionError(
                    "%s failed with seed %d; replay it with -Dtest=InputFuzzIntegrationTests#%s -D%s=%d%n%s"
                            .formatted(property, seed, property, SEED_PROPERTY, seed, e.getMessage()),
                    e);
        }
    }

    static long seed(String property) {
        var chosen = System.getProperty(SEED_PROPERTY);
        // String.hashCode is specified, so a property's default seed is the same on every JVM
        return chosen == null || chosen.isBlank()
                ? 20261203L * 31 + property.hashCode()
                : Long.parseLong(chosen.strip());
    }

    private static String abbreviated(Object value) {
        var text = String.valueOf(value);
        return text.length() <= 500 ? text : text.substring(0, 500) + "… (" + text.length() + " characters)";
    }

    // ---- generators -------------------------------------------------------------------------------

    private Gen<String> outboundCallBodies() {
        return bodies(
                field("agent_id", Generate.oneOf(just(quote(agentId)), uuids(), value())),
                field("to_number", Generate.oneOf(numbers(), value())),
                field("from_number", Generate.oneOf(just(quote(callerNumber)), numbers(), value())),
                field("context", value()),
                field("priority", Generate.oneOf(pick("\"low\"", "\"urgent\"", "\"URGENT\""), value())),
                field("krisp_enabled", booleanish()),
                field("wait_until_answered", Generate.oneOf(just("false"), value())),
                field("display_name", value()),
                field("dtmf", Generate.oneOf(pick("\"123#\"", "1234"), value())),
                field("play_dialtone", booleanish()),
                field("media_encryption", Generate.oneOf(pick("\"ALLOW\"", "\"allow\"", "2"), value())),
                field("ringing_timeout_seconds", integerish()),
                field("max_call_duration_seconds", integerish()),
                field("hide_phone_number", booleanish()),
                field("custom_headers", Generate.oneOf(pick("{\"X-Ok\":\"v\"}", "{\"X-Bad\":\"a\\r\\nb\"}"), value())),
                field("record", booleanish()),
                field("callee_timezone", Generate.oneOf(pick("\"America/Chicago\"", "\"Mars/Olympus\""), value())),
                field(
                        "schedule_at",
                        Generate.oneOf(
                                pick("\"2099-01-01T00:00:00Z\"", "\"2020-01-01T00:00:00Z\"", "\"tomorrow\""), value())),
                field("within_calling_window", booleanish()),
                field("latest_at", Generate.oneOf(pick("\"2099-01-01T00:00:00Z\"", "\"2099-01-01\""), value())));
    }

    private Gen<String> campaignBodyValues() {
        Gen<String> target = bodies(
                field("to_number", Generate.oneOf(numbers(), value())),
                field("from_number", Generate.oneOf(just(quote(callerNumber)), numbers(), value())),
                field("context", value()));
        Gen<String> targets = random -> {
            var count = integers().between(0, 4).generate(random);
            var items = new ArrayList<String>();
            for (int i = 0; i < count; i++) {
                items.add(target.generate(random));
            }
            return "[" + String.join(",", items) + "]";
        };
        return bodies(
                field("agent_id", Generate.oneOf(just(quote(agentId)), uuids(), value())),
                field("name", Generate.oneOf(just("\"Renewals\""), value())),
                field("targets", Generate.oneOf(just("[{\"to_number\":\"+12125550123\"}]"), targets, value())),
                field(
                        "schedule_at",
                        Generate.oneOf(pick("\"2099-01-01T00:00:00Z\"", "\"2099-01-01T00:00:00\""), value())),
                field("concurrent_calls", integerish()),
                field("retry_failed", booleanish()),
                field("retry_attempts", integerish()),
                field("context", value()),
                field("webhook_url", value()),
                field("webhook_secret", value()),
                field("notify_on_call_complete", booleanish()),
                field("draft", booleanish()),
                field("calling_window", Generate.oneOf(callingWindows(), value())),
                field("priority", Generate.oneOf(pick("\"low\"", "\"urgent\"", "\"LOW\"", "\"top\""), value())),
                field(
                        "retry_policy",
                        Generate.oneOf(
                                pick(
                                        "{\"on\":[\"busy\",\"machine_voicemail\"],\"delays_minutes\":[1,60]}",
                                        "{\"on\":[\"declined\"]}",
                                        "{\"on\":[null],\"delays_minutes\":[]}",
                                        "{\"delays_minutes\":[0,99999,null]}",
                                        "{\"on\":\"busy\"}",
                                        "null"),
                                value())));
    }

    private static Gen<String> callingWindows() {
        return Generate.oneOf(
                just("{\"start\":\"08:00\",\"end\":\"21:00\",\"days\":[\"mon\",\"fri\"]}"),
                pick(
                        "{\"start\":\"21:00\",\"end\":\"08:00\",\"days\":[\"mon\"]}",
                        "{\"start\":\"8:00\",\"end\":\"24:00\",\"days\":[]}",
                        "{\"start\":\"08:00\",\"end\":\"21:00\",\"days\":[\"mon\",\"mon\",\"xyz\"]}",
                        "{\"start\":\"08:00\",\"days\":null}",
                        "null"));
    }

    private Gen<String> batchBodyValues() {
        Gen<String> contact = bodies(
                field("phone", Generate.oneOf(numbers(), value())),
                field("name", value()),
                field("plan", value()),
                field("renewal_date", value()));
        Gen<String> contacts = random -> {
            var count = integers().between(0, 4).generate(random);
            var items = new ArrayList<String>();
            for (int i = 0; i < count; i++) {
                items.add(contact.generate(random));
            }
            return "[" + String.join(",", items) + "]";
        };
        return bodies(
                field("fromPhoneNumberId", Generate.oneOf(just(quote(numberId)), uuids(), value())),
                field("name", Generate.oneOf(just("\"Renewals\""), value())),
                field("description", value()),
                field("concurrentCallLimit", integerish()),
                field("maxAttempts", integerish()),
                field(
                        "scheduledStartTime",
                        Generate.oneOf(
                                pick(
                                        "\"2099-01-01T09:00:00\"",
                                        "\"2020-01-01T09:00:00\"",
                                        "\"2099-01-01T09:00:00Z\"",
                                        "\"+1000000000-01-01T00:00:00\"",
                                        "\"9999-12-31T23:59:59\""),
                                value())),
                field(
                        "timezone",
                        Generate.oneOf(
                                pick("\"America/New_York\"", "\"UTC\"", "\"Mars/Olympus\"", "\"+05:00\""), value())),
                field("contacts", Generate.oneOf(just("[{\"phone\":\"+12125550123\"}]"), contacts, value())));
    }

    /** A form field's text: valid values, near misses and the nasty strings. */
    private static Gen<String> batchFormValue() {
        return Generate.oneOf(pick("5", "Renewals", "0", "51", "x", ""), nastyStrings());
    }

    private static Gen<String> agentBodyValues() {
        return bodies(
                field("name", Generate.oneOf(just("\"Agent\""), value())),
                field("architecture", Generate.oneOf(pick("\"text\"", "\"pipeline\"", "2", "\"TEXT\""), value())),
                field("livekit_agent_name", value()),
                field("record", booleanish()));
    }

    private static Gen<String> compliancePolicyBodyValues() {
        return bodies(
                field("calling_window", Generate.oneOf(callingWindows(), value())),
                field(
                        "max_attempts_per_number",
                        Generate.oneOf(
                                pick("{\"per_24h\":3,\"per_7d\":7}", "{\"per_24h\":9,\"per_7d\":2}", "null"), value())),
                field("dnc_enforced", booleanish()));
    }

    private static Gen<String> outcomeBodyValues() {
        return bodies(
                field(
                        "answered_by",
                        Generate.oneOf(
                                pick("\"human\"", "\"machine_voicemail\"", "\"HUMAN\"", "\"machine-vm\""), value())),
                field(
                        "disposition",
                        Generate.oneOf(
                                pick("\"interested\"", "\"callback_requested\"", quote("d".repeat(65))), value())),
                field("summary", Generate.oneOf(pick("\"Line one.\\nLine two.\"", quote("s".repeat(4097))), value())),
                field(
                        "sentiment_score",
                        Generate.oneOf(pick("0.5", "-1", "1.0001", "1e400", "\"0.3\"", "-0"), value())),
                field(
                        "language_detected",
                        Generate.oneOf(
                                pick("\"en-US\"", "\"pt-br\"", "\"en_US\"", "\"x\"", "\"zh-Hant-TW\"", "\"i-klingon\""),
                                value())));
    }

    private static Gen<String> trunkBodyValues() {
        return bodies(
                field("name", Generate.oneOf(just("\"Carrier\""), value())),
                field("address", Generate.oneOf(pick("\"sip.example.com:5060\"", "\"sip:x@y\""), value())),
                field("transport", Generate.oneOf(pick("\"tls\"", "3"), value())),
                field("username", value()),
                field("password", value()),
                field("destination_country", value()),
                field("livekit_trunk_id", value()),
                field("cps_limit", integerish()),
                field("max_channels", integerish()));
    }

    private Gen<String> phoneNumberBodyValues() {
        return bodies(
                field("number", Generate.oneOf(numbers(), value())),
                field("sip_trunk_id", Generate.oneOf(just(quote(trunkId)), uuids(), value())),
                field("outbound_agent_id", Generate.oneOf(just(quote(agentId)), value())),
                field("inbound_agent_id", value()),
                field("record", booleanish()));
    }

    private static Gen<String> webhookEndpointBodyValues() {
        return bodies(
                field("url", Generate.oneOf(pick("\"https://example.com/hook\"", "\"ftp://x\""), value())),
                field(
                        "format",
                        Generate.oneOf(pick("\"standard\"", "\"talkifai\"", "\"TalkifAI\"", "\"xml\""), value())),
                field(
                        "event_types",
                        Generate.oneOf(
                                pick(
                                        "[\"call.completed\"]",
                                        "[\"call.started\"]",
                                        "[\"credit.depleted\", \"call.failed\"]",
                                        "[\"nope\"]",
                                        "[1]"),
                                value())),
                field("enabled", booleanish()),
                field("description", value()));
    }

    private static Gen<String> organizationBodyValues() {
        return bodies(
                field("name", Generate.oneOf(just("\"Org\""), value())),
                field("credits", Generate.oneOf(pick("10", "10.5", "1e999999999", "-1", "\"10\""), value())),
                field("rate_per_minute", value()),
                field("max_concurrent_calls", integerish()),
                field("owner_email", Generate.oneOf(pick("\"owner@example.com\"", "\"x\"", "null"), value())),
                field("owner_password", Generate.oneOf(pick("\"twelve chars\"", "\"short\"", "null"), value())));
    }

    private static Gen<String> dncBodyValues() {
        var list = Generate.oneOf(
                numbers().map(n -> "[" + n + "]"),
                numbers().zip(numbers(), (a, b) -> "[" + a + "," + b + "]"),
                pick("[]", "[null]", "[\"+12025550123\",\"+12025550123\"]", "[1]", "[[\"+12025550123\"]]"),
                value());
        return bodies(field("numbers", list), field("reason", value()));
    }

    /** CSV text: numbers, nasty values, headers, quotes and separators, as one body. */
    private static Gen<String> csvBodies() {
        var cell = Generate.oneOf(
                numbers().map(n -> n.substring(1, n.length() - 1)),
                nastyStrings(),
                pick(
                        "phone",
                        "number",
                        "Phone",
                        "\"",
                        "\"+12025550123\"",
                        "\"a\"b",
                        "\"unterminated",
                        ",",
                        ";",
                        "\r",
                        "\uFEFF"));
        Gen<String> row = random -> {
            var cells = new ArrayList<String>();
            var n = integers().between(1, 4).generate(random);
            for (int i = 0; i < n; i++) {
                cells.add(cell.generate(random));
            }
            return String.join(",", cells);
        };
        Gen<String> body = random -> {
            var rows = new ArrayList<String>();
            var n = integers().between(0, 12).generate(random);
            for (int i = 0; i < n; i++) {
                rows.add(row.generate(random));
            }
            return String.join(Generate.booleans().generate(random) ? "\n" : "\r\n", rows);
        };
        return body;
    }

    /** A query parameter value as sent: this organization's number among them, with and without its '+' encoded. */
    private Gen<String> numberParameters() {
        return Generate.oneOf(
                pick(
                        "%2B12025550123",
                        query(callerNumber),
                        callerNumber,
                        "%2B12025559000",
                        "+12025559000",
                        "12025550123",
                        "%2B1202%095550123",
                        "%00",
                        "%2B1%0D%0A",
                        "",
                        "%2B" + "9".repeat(300),
                        "%E2%80%AE%2B1202",
                        "%ED%A0%80"),
                strings().allPossible().ofLengthBetween(0, 20).map(InputFuzzIntegrationTests::urlEncoded));
    }

    private static Gen<String> transferBodyValues() {
        var targets = Generate.oneOf(
                pick(
                        "\"tel:+12025550177\"",
                        "\"tel:12025550177\"",
                        "\"tel:+\"",
                        "\"sip:support@pbx.example.com\"",
                        "\"sip:+442071838750@sip.carrier.example:5060\"",
                        "\"sip:+1202@pbx.example.com\"",
                        "\"sip:a@b;transport=tcp\"",
                        "\"sips:a@b\"",
                        "\"sip:@\"",
                        "\"sip:a@-b\"",
                        "\"sip:a@" + "b.".repeat(200) + "c\""),
                value());
        return bodies(
                field("transfer_to", targets),
                field("to", targets),
                field("transfer_type", Generate.oneOf(pick("\"cold\"", "\"warm\"", "\"Cold\"", "\"\""), value())),
                field("play_dialtone", booleanish()));
    }

    private static Gen<String> agentCallListParameter() {
        return pick("limit", "offset", "direction", "status_filter", "start_date", "end_date");
    }

    /** Dates and date-times as clients send them, and near misses. */
    private static Gen<String> dateValues() {
        return pick(
                "2026-12-01",
                "2026-12-01T10:00:00",
                "2026-12-01T10:00:00Z",
                "2026-12-01T10:00:00%2B02:00",
                "2026-12-01T10:00:00+02:00",
                "2026-12-01%2010:00:00",
                "2026-12-01T10:00:00.123456789-05:30",
                "2026-02-30",
                "2026-12-01T25:00:00Z",
                "9999-12-31",
                "0000-12-31",
                "%2B1000000000-01-01",
                "-999999999-01-01",
                "2026-12-01T10:00:00%2B99:00",
                "2026-12-01T10:00:00Zjunk",
                "t",
                "T",
                "2026-12-01T",
                "inbound",
                "outbound",
                "answered",
                "ANSWERED",
                "500",
                "501",
                "2147483648");
    }

    private static Gen<String> callListParameter() {
        return pick(
                "status", "agent_id", "from_number", "to_number", "created_after", "created_before", "limit", "cursor");
    }

    private static Gen<String> queryValue() {
        var cursor = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("99999999999999." + "1." + UNKNOWN_ID).getBytes());
        return Generate.oneOf(
                pick(
                        "%2B999999999-01-01T00:00:00Z",
                        "-999999999-01-01T00:00:00Z",
                        "2026-01-01T00:00:00Z",
                        "0",
                        "-1",
                        "201",
                        "99999999999999999999",
                        "%00",
                        "queued,bogus",
                        "%2B12025550123",
                        cursor,
                        "abc",
                        "%ED%A0%80",
                        UNKNOWN_ID,
                        "1e3",
                        "%20"),
                strings().allPossible().ofLengthBetween(0, 30).map(InputFuzzIntegrationTests::urlEncoded));
    }

    private record Field(String name, Gen<String> value) {}

    private static Field field(String name, Gen<String> value) {
        return new Field(name, value);
    }

    /**
     * A body: mostly an object of the route's fields (each present or not, in the order given, so a
     * seed always builds the same body) plus a stray one; sometimes not an object at all.
     */
    private static Gen<String> bodies(Field... fields) {
        var present = Generate.booleans();
        var stray = Generate.oneOf(just(""), value().map(v -> "\"unknown_field\":" + v));
        Gen<String> object = random -> {
            var parts = new ArrayList<String>();
            for (var field : fields) {
                if (present.generate(random)) {
                    parts.add(quote(field.name()) + ":" + field.value().generate(random));
                }
            }
            var extra = stray.generate(random);
            if (!extra.isEmpty()) {
                parts.add(extra);
            }
            return "{" + String.join(",", parts) + "}";
        };
        var odd = pick(
                "",
                "null",
                "[]",
                "\"text\"",
                "42",
                "{",
                "{\"a\":1,\"a\":2}",
                "{\"name\":\"x\",\"name\":\"y\"}",
                "[" + "[".repeat(3000) + "]".repeat(3000) + "]",
                "{\"x\":" + "7".repeat(5000) + "}",
                "{\"x\":1}garbage");
        return Generate.frequency(Pair.of(9, object), Pair.of(1, odd));
    }

    /** Any JSON value, weighted towards the nasty. */
    private static Gen<String> value() {
        return Generate.oneOf(
                nastyStrings().map(InputFuzzIntegrationTests::quote),
                pick(
                        "0",
                        "-1",
                        "1",
                        "30",
                        "30.0",
                        "30.5",
                        "2147483648",
                        "-9223372036854775809",
                        "99999999999999999999999",
                        "1e400",
                        "1e-400",
                        "-0",
                        "true",
                        "false",
                        "null",
                        "[]",
                        "{}"),
                integers().all().map(n -> Integer.toString(n)),
                pick(
                        "[\"a\",1,null]",
                        "{\"k\":\"v\",\"n\":{\"m\":[1,2]}}",
                        "{\"k\":\"\\u0000\"}",
                        "{\"\\u0000\":1}",
                        "[\"\\ud800\"]",
                        "{\"a\":" + "{\"a\":".repeat(70) + "1" + "}".repeat(70) + "}"));
    }

    /** Fixed nasty strings, or any string of up to 40 UTF-16 units (every code point, lone surrogates included). */
    private static Gen<String> nastyStrings() {
        return Generate.oneOf(
                pick(
                        "",
                        " ",
                        "ok",
                        "\u0000",
                        "a\u0000b",
                        "u\r\nX-Evil: 1",
                        "\t",
                        "\u0085",
                        "\u009f",
                        "\u202Egnp.exe",
                        "\u2066x\u2069",
                        "\ud800",
                        "x\udc00y",
                        "😀",
                        "\u00a0",
                        "Zoë",
                        "'; drop table agents; --",
                        "%00",
                        "\\",
                        "\"",
                        "+12025550123",
                        "+1202\t5550123",
                        "a".repeat(300),
                        "b".repeat(20_000)),
                strings().allPossible().ofLengthBetween(0, 40));
    }

    private static Gen<String> numbers() {
        return Generate.oneOf(
                pick(
                                "+12025550123",
                                "+1 202 555 0123",
                                "1-202-555-0123",
                                "+1202\t5550123",
                                "+0123",
                                "+",
                                "+1\u0000",
                                "+" + "1".repeat(40),
                                "+12025559000")
                        .map(InputFuzzIntegrationTests::quote),
                integers().between(1000, 9999).map(n -> quote("+1202555" + n)));
    }

    private static Gen<String> uuids() {
        return pick(
                "\"" + UNKNOWN_ID + "\"",
                "\"00000000-0000-0000-0000-000000000000\"",
                "\"1-1-1-1-1\"",
                "\"" + UNKNOWN_ID.replace("-", "") + "\"");
    }

    private static Gen<String> booleanish() {
        return Generate.oneOf(
                pick("true", "false", "0", "1", "2", "1.0", "\"yes\"", "\"off\"", "\"maybe\"", "\"TRUE\""), value());
    }

    private static Gen<String> integerish() {
        return Generate.oneOf(
                pick(
                        "0",
                        "1",
                        "30",
                        "30.0",
                        "\"30\"",
                        "\" 30 \"",
                        "\"30.0\"",
                        "30.5",
                        "\"1e3\"",
                        "true",
                        "1e30",
                        "2147483648",
                        "-2147483649",
                        "\"" + "9".repeat(5000) + "\""),
                integers().all().map(n -> Integer.toString(n)),
                value());
    }

    private static Gen<String> pick(String... values) {
        return Generate.pick(List.of(values));
    }

    private static Gen<String> just(String value) {
        return Generate.constant(value);
    }

    private static String urlEncoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    // ---- checks -----------------------------------------------------------------------------------

    /** Sends a body that might create one row of {@code list}; a refusal must leave the list as it was. */
    private static void sent(String method, String path, String body, Api client, String list) {
        var before = count(client, list);
        var response = client.send(method, path, "application/json", body);
        assertNoServerError(response);
        var after = count(client, list);
        if (response.status() >= 400) {
            assertProblem(response);
            assertThat(after)
                    .as("a refusal stores nothing: " + body + " → " + response)
                    .isEqualTo(before);
        } else {
            assertThat(after).as(body + " → " + response).isEqualTo(before + 1);
        }
    }

    /** How many batch jobs the organization has. */
    private static int batchJobs(Api client) {
        var page = client.get("/batch/jobs");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return page.json().get("total").asInt();
    }

    /** A create answered: a refusal in TalkifAI's envelope stores no job, a success one. */
    private void batchSent(Api.Response response, int before, String sent) {
        assertNoServerError(response);
        var after = batchJobs(api);
        if (response.status() >= 400) {
            assertTalkifaiEnvelope(response);
            assertThat(after)
                    .as("a refusal stores nothing: " + sent + " → " + response)
                    .isEqualTo(before);
        } else {
            assertThat(after).as(sent + " → " + response).isEqualTo(before + 1);
            assertThat(response.json().get("success").asBoolean()).isTrue();
        }
    }

    private static void assertNoServerError(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 499);
    }

    private static void assertProblem(Api.Response response) {
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        var body = response.json();
        assertThat(body.get("code").isString()).as(response.toString()).isTrue();
        assertThat(body.get("status").asInt()).isEqualTo(response.status());
        assertThat(body.has("detail")).isTrue();
    }

    private static void assertTalkifaiEnvelope(Api.Response response) {
        assertThat(response.contentType()).as(response.toString()).startsWith("application/json");
        var body = response.json();
        assertThat(body.get("success").asBoolean(true)).as(response.toString()).isFalse();
        assertThat(body.get("code").isString()).isTrue();
        assertThat(body.get("error").asString()).isEqualTo(body.get("detail").asString());
    }

    private static int count(Api client, String list) {
        int total = 0;
        String cursor = null;
        do {
            var page = client.get(list + "?limit=200" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            var json = page.json();
            total += json.get("data").size();
            cursor = json.get("has_more").asBoolean() ? json.get("next_cursor").asString() : null;
        } while (cursor != null);
        return total;
    }

    /** A JSON string literal; everything outside printable ASCII escaped, so lone surrogates travel as {@code \\ud800}. */
    static String quote(String text) {
        var out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
