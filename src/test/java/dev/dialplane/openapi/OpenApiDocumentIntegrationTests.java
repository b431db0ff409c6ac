package dev.dialplane.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import dev.dialplane.support.OpenApiContract;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The served document states what the API does: meaningful operation ids, every error with its
 * body, the right scheme on each route, nullability, and the MrAssistant request as that vendor
 * documents it. Every other integration test checks its responses against this document
 * ({@link OpenApiContract}); these tests pin the facts that check cannot see.
 */
class OpenApiDocumentIntegrationTests extends LiveKitIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonNode doc;
    private String text;

    @BeforeEach
    void readDocument() {
        text = OpenApiContract.document("http://127.0.0.1:" + port);
        doc = JSON.readTree(text);
    }

    @Test
    void isOpenApi30WithMeaningfulUniqueOperationIds() {
        assertThat(doc.get("openapi").asString()).startsWith("3.0.");
        var ids = new ArrayList<String>();
        operations().forEach(op -> ids.add(op.operation().get("operationId").asString()));
        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).doesNotMatch(".*_\\d+$"));
        // every route is named in OpenApiDocument's table, and the table names no route that is gone
        assertThat(ids).containsExactlyInAnyOrderElementsOf(OpenApiDocument.OPERATION_IDS.values());
        assertThat(operation("post", "/calls/outbound").get("operationId").asString())
                .isEqualTo("placeCall");
        assertThat(operation("post", "/telephony/outbound-call")
                        .get("operationId")
                        .asString())
                .isEqualTo("placeTalkifaiCall");
        assertThat(operation("get", "/calls/{id}").get("operationId").asString())
                .isEqualTo("getCall");
        assertThat(operation("delete", "/api-keys/{id}").get("operationId").asString())
                .isEqualTo("revokeApiKey");
    }

    @Test
    void everyOperationDocumentsItsErrorsWithTheirBodiesAndEveryResponseItsRequestId() {
        for (var op : operations()) {
            var responses = op.operation().get("responses");
            var statuses = new HashSet<>(responses.propertyNames());
            if (!op.path().equals("/livez") && !op.path().equals("/readyz")) {
                assertThat(statuses).as(op.toString()).contains("401", "413", "500", "503");
            }
            for (var status : statuses) {
                var response = responses.get(status);
                assertThat(response.get("headers").has("X-Request-Id"))
                        .as(op + " " + status)
                        .isTrue();
                var content = response.get("content");
                if (content != null) {
                    assertThat(content.propertyNames()).as(op + " " + status).doesNotContain("*/*");
                }
                if (status.startsWith("4") || status.startsWith("5")) {
                    if (op.path().startsWith("/livez") || op.path().startsWith("/readyz")) {
                        continue;
                    }
                    // TalkifAI's routes answer in its envelope, plain JSON
                    var mediaType =
                            op.path().startsWith("/telephony/") || op.path().startsWith("/batch/")
                                    ? "application/json"
                                    : "application/problem+json";
                    assertThat(content.propertyNames()).as(op + " " + status).containsExactly(mediaType);
                    assertThat(content.get(mediaType).get("schema").get("$ref").asString())
                            .as(op + " " + status)
                            .isIn(
                                    "#/components/schemas/Problem",
                                    "#/components/schemas/TalkifaiError",
                                    "#/components/schemas/MrAssistantValidationProblem");
                }
                if (status.equals("503")) {
                    assertThat(response.get("headers")
                                    .get("Retry-After")
                                    .get("required")
                                    .asBoolean())
                            .as(op.toString())
                            .isTrue();
                }
            }
            if (op.operation().has("requestBody") && !op.path().equals("/webhooks/livekit")) {
                assertThat(statuses).as(op.toString()).contains("400", "413", "415", "422");
            }
        }
        var placeCall = operation("post", "/calls/outbound").get("responses");
        assertThat(placeCall.propertyNames())
                .contains("200", "400", "401", "402", "404", "409", "413", "415", "422", "500", "503");
        assertThat(placeCall
                        .get("422")
                        .get("content")
                        .get("application/problem+json")
                        .get("schema")
                        .get("$ref")
                        .asString())
                .isEqualTo("#/components/schemas/MrAssistantValidationProblem");
        var talkifai = operation("post", "/telephony/outbound-call").get("responses");
        assertThat(talkifai.propertyNames())
                .contains("200", "400", "401", "402", "404", "408", "409", "413", "422", "502", "503");
    }

    @Test
    void adminRoutesNeedTheAdminTokenPublicRoutesNothingAndTheRestAnApiKey() {
        assertThat(doc.get("security").get(0).has("apiKey")).isTrue();
        // either header: the Bearer scheme or x-api-key, alternatives of the same key
        assertThat(doc.get("security")).hasSize(2);
        assertThat(doc.get("security").get(1).propertyNames()).containsExactly("apiKeyHeader");
        var header = doc.get("components").get("securitySchemes").get("apiKeyHeader");
        assertThat(header.get("type").asString()).isEqualTo("apiKey");
        assertThat(header.get("in").asString()).isEqualTo("header");
        assertThat(header.get("name").asString()).isEqualTo("x-api-key");
        for (var op : operations()) {
            var security = op.operation().get("security");
            if (op.path().startsWith("/admin/")) {
                assertThat(security.size()).as(op.toString()).isEqualTo(1);
                assertThat(security.get(0).propertyNames()).as(op.toString()).containsExactly("adminToken");
            } else if (List.of("/webhooks/livekit", "/livez", "/readyz").contains(op.path())) {
                assertThat(security).as(op.toString()).isNotNull();
                assertThat(security.isEmpty()).as(op.toString()).isTrue();
            } else if (op.path().equals("/calls/{id}/outcome")) {
                // the call's own report token (its agent) or the organization's API key, in either header
                assertThat(security.size()).as(op.toString()).isEqualTo(3);
                assertThat(security.get(0).propertyNames()).containsExactly("reportToken");
                assertThat(security.get(1).propertyNames()).containsExactly("apiKey");
                assertThat(security.get(2).propertyNames()).containsExactly("apiKeyHeader");
                assertThat(doc.get("components").get("securitySchemes").has("reportToken"))
                        .isTrue();
            } else {
                assertThat(security).as(op.toString() + " inherits the API key").isNull();
            }
        }
    }

    @Test
    void mrAssistantsCallRoutesAreDocumentedAsItsReferenceListsThem() {
        assertThat(operation("post", "/calls/{id}/end").get("operationId").asString())
                .isEqualTo("endCall");
        assertThat(operation("post", "/calls/{id}/end").get("responses").propertyNames())
                .containsAll(
                        operation("post", "/calls/{id}/hangup").get("responses").propertyNames());
        var list = operation("get", "/calls/agent/{agent_id}/calls");
        assertThat(list.get("operationId").asString()).isEqualTo("listAgentCalls");
        assertThat(list.get("responses").get("404").get("description").asString())
                .contains("AGENT_NOT_FOUND");
        var parameters = new java.util.HashMap<String, JsonNode>();
        list.get("parameters").forEach(p -> parameters.put(p.get("name").asString(), p));
        assertThat(parameters.get("limit").get("schema").get("maximum").asInt()).isEqualTo(500);
        assertThat(parameters.get("limit").get("schema").get("default").asInt()).isEqualTo(100);
        assertThat(parameters.get("offset").get("schema").get("minimum").asInt())
                .isZero();
        assertThat(parameters.get("status_filter").get("schema").get("enum").toString())
                .isEqualTo("[\"initiated\",\"ringing\",\"answered\",\"ended\",\"failed\"]");
        assertThat(parameters).containsKeys("direction", "start_date", "end_date");

        var transfer = operation("post", "/calls/{id}/transfer");
        assertThat(transfer.get("responses").get("422").get("description").asString())
                .contains("WARM_TRANSFER_NOT_SUPPORTED");
        var body = schema("TransferRequest").get("properties");
        assertThat(body.get("transfer_type").get("pattern").asString()).isEqualTo("^(cold|warm)$");
        assertThat(body.get("transfer_type").get("default").asString()).isEqualTo("cold");
        assertThat(body.get("play_dialtone").get("default").asBoolean()).isFalse();
        assertThat(body.has("transfer_to")).isTrue();
        assertThat(body.has("to")).isTrue();

        // GET /calls/{id}: MrAssistant's required fields required, its nullable ones nullable
        var view = schema("CallView");
        var required = new java.util.ArrayList<String>();
        view.get("required").forEach(r -> required.add(r.asString()));
        assertThat(required)
                .contains(
                        "call_id",
                        "agent_id",
                        "tenant_id",
                        "direction",
                        "from_number",
                        "to_number",
                        "status",
                        "started_at");
        for (var name : List.of("tenant_id", "started_at")) {
            assertThat(view.get("properties").get(name).has("nullable"))
                    .as(name)
                    .isFalse();
        }
        assertThat(view.get("properties").get("tenant_id").get("format").asString())
                .isEqualTo("uuid");
        for (var name : List.of("recording_url", "ended_at", "duration_seconds")) {
            assertThat(view.get("properties").get(name).get("nullable").asBoolean())
                    .as(name)
                    .isTrue();
        }
        assertThat(view.get("properties").get("duration_seconds").get("type").asString())
                .isEqualTo("integer");
    }

    @Test
    void theReadmesMrAssistantRequestIsValidContextIsAnyJsonAndTheSeedsDefaultsAndRangesAreThere() {
        var readmeExample = """
                {"agent_id": "00000000-0000-4000-8000-000000000010", "to_number": "+1 202 555 0123",
                 "context": {"customer": "Ada", "tier": 2, "tags": ["vip"], "address": {"city": "Paris"}},
                 "custom_headers": {"X-Customer-Id": "c-42"}}""";
        var report = validator()
                .validateRequest(SimpleRequest.Builder.post("/calls/outbound")
                        .withContentType("application/json")
                        .withAuthorization("Bearer dp_test")
                        .withBody(readmeExample)
                        .build());
        assertThat(report.hasErrors())
                .as(SimpleValidationReportFormat.getInstance().apply(report))
                .isFalse();

        var request = schema("OutboundCallRequest").get("properties");
        assertThat(request.get("context").get("additionalProperties").asBoolean())
                .isTrue();
        assertThat(schema("OutboundCallRequest").get("required").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("agent_id", "to_number");
        assertThat(request.get("priority").get("pattern").asString()).isEqualTo("^(low|normal|high|urgent)$");
        assertThat(request.get("priority").get("default").asString()).isEqualTo("normal");
        assertThat(request.get("media_encryption").get("pattern").asString()).isEqualTo("^(DISABLE|ALLOW|REQUIRE)$");
        assertThat(request.get("media_encryption").get("default").asString()).isEqualTo("ALLOW");
        assertThat(request.get("krisp_enabled").get("default").asBoolean()).isTrue();
        assertThat(request.get("wait_until_answered").get("default").asBoolean())
                .isFalse();
        assertThat(request.get("ringing_timeout_seconds").get("default").asInt())
                .isEqualTo(80);
        assertThat(request.get("ringing_timeout_seconds").get("minimum").asInt())
                .isEqualTo(1);
        assertThat(request.get("ringing_timeout_seconds").get("maximum").asInt())
                .isEqualTo(80);
        assertThat(request.get("max_call_duration_seconds").get("default").asInt())
                .isEqualTo(3600);
        assertThat(request.get("max_call_duration_seconds").get("minimum").asInt())
                .isEqualTo(60);
        assertThat(request.get("max_call_duration_seconds").get("maximum").asInt())
                .isEqualTo(86400);
        for (var nullable : List.of("from_number", "display_name", "dtmf")) {
            assertThat(request.get(nullable).get("nullable").asBoolean())
                    .as(nullable)
                    .isTrue();
        }
        assertThat(request.get("krisp_enabled").has("nullable")).isFalse();
    }

    @Test
    void responseModelsSayWhichFieldsAreAlwaysThereAndWhichMayBeNull() {
        var call = schema("CallView");
        assertThat(call.get("required").valueStream().map(JsonNode::asString))
                .contains("id", "status", "end_reason", "sip_status_code", "answered_at", "recording");
        assertThat(call.get("properties").get("end_reason").get("nullable").asBoolean())
                .isTrue();
        assertThat(call.get("properties").get("status").has("nullable")).isFalse();
        var outbound = schema("OutboundCallResponse");
        assertThat(outbound.get("required").valueStream().map(JsonNode::asString))
                .contains(
                        "call_id",
                        "session_id",
                        "room_name",
                        "agent_id",
                        "direction",
                        "from_number",
                        "to_number",
                        "status")
                .doesNotContain("end_reason", "queue_position"); // left out when unknown, never null
        assertThat(outbound.get("properties").get("queue_position").has("nullable"))
                .isFalse();
    }

    @Test
    void theOutcomeRouteItsEventsAndItsWebhookAreDocumented() {
        var report = operation("post", "/calls/{id}/outcome");
        assertThat(report.get("operationId").asString()).isEqualTo("reportCallOutcome");
        var responses = report.get("responses");
        assertThat(responses.propertyNames()).contains("200", "400", "401", "404", "413", "415", "422", "500");
        assertThat(responses
                        .get("200")
                        .get("content")
                        .get("application/json")
                        .get("schema")
                        .get("$ref")
                        .asString())
                .endsWith("/CallView");
        assertThat(responses.get("401").get("description").asString()).contains("UNAUTHORIZED", "REPORT_TOKEN_EXPIRED");
        assertThat(responses.get("404").get("description").asString()).contains("CALL_NOT_FOUND");
        var body = schema("OutcomeRequest").get("properties");
        assertThat(body.propertyNames())
                .containsExactlyInAnyOrder(
                        "answered_by", "disposition", "summary", "sentiment_score", "language_detected");
        var call = schema("CallView");
        assertThat(call.get("required").valueStream().map(JsonNode::asString))
                .contains(
                        "answered_by",
                        "disposition",
                        "summary",
                        "sentiment_score",
                        "language_detected",
                        "outcome_reported_at");
        assertThat(call.get("properties").get("disposition").get("nullable").asBoolean())
                .isTrue();
        assertThat(call.get("properties").get("answered_by").toString()).contains("machine_voicemail");
        var event = schema("EventResource").get("properties");
        assertThat(event.get("type").get("enum").valueStream().map(JsonNode::asString))
                .containsExactly("status_changed", "outcome_reported");
        assertThat(schema("WebhookMessage")
                        .get("properties")
                        .get("type")
                        .get("enum")
                        .valueStream()
                        .map(JsonNode::asString))
                .contains("call.outcome_reported");
    }

    @Test
    void theErrorShapesOfBothDialectsValidateAndADriftIsCaught() {
        var mrAssistant422 = """
                {"type":"https://dialplane.dev/problems/validation-failed","title":"Unprocessable Content","status":422,
                 "detail":[{"loc":["body","ringing_timeout_seconds"],"msg":"Input should be less than or equal to 80",
                            "type":"less_than_equal","input":81,"ctx":{"le":80}},
                           {"loc":["body","custom_headers",0],"msg":"bad","type":"value_error","input":"x"},
                           {"loc":["body","agent_id"],"msg":"Field required","type":"missing","input":{"to_number":"1"}},
                           {"loc":["body","dtmf"],"msg":"Input should be a valid string","type":"string_type","input":null}],
                 "instance":"/calls/outbound","code":"VALIDATION_FAILED",
                 "errors":[{"field":"ringing_timeout_seconds","message":"must be between 1 and 80"}]}""";
        assertValid(validator()
                .validateResponse(
                        "/calls/outbound",
                        Request.Method.POST,
                        problem(422, "application/problem+json", mrAssistant422)));
        var talkifai = """
                {"success":false,"error":"The callee's line is busy (SIP 486).","code":"CALL_BUSY",
                 "detail":"The callee's line is busy (SIP 486)."}""";
        assertValid(validator()
                .validateResponse(
                        "/telephony/outbound-call", Request.Method.POST, problem(409, "application/json", talkifai)));
        var tooLarge = """
                {"type":"https://dialplane.dev/problems/payload-too-large","title":"Content Too Large","status":413,
                 "detail":"The request body is over 1 MiB.","instance":"/agents","code":"PAYLOAD_TOO_LARGE"}""";
        assertValid(validator()
                .validateResponse("/agents", Request.Method.POST, problem(413, "application/problem+json", tooLarge)));
        var tooLargeTalkifai = """
                {"success":false,"error":"The request body is over 1 MiB.","code":"PAYLOAD_TOO_LARGE",
                 "detail":"The request body is over 1 MiB."}""";
        assertValid(validator()
                .validateResponse(
                        "/telephony/outbound-call",
                        Request.Method.POST,
                        problem(413, "application/json", tooLargeTalkifai)));

        // the check is not vacuous: a list detail elsewhere, a missing code, a null status all fail
        var listDetailElsewhere = mrAssistant422.replace("/calls/outbound", "/agents");
        assertThat(validator()
                        .validateResponse(
                                "/agents",
                                Request.Method.POST,
                                problem(422, "application/problem+json", listDetailElsewhere))
                        .hasErrors())
                .isTrue();
        assertThat(validator()
                        .validateResponse(
                                "/agents",
                                Request.Method.POST,
                                problem(
                                        413,
                                        "application/problem+json",
                                        tooLarge.replace(",\"code\":\"PAYLOAD_TOO_LARGE\"", "")))
                        .hasErrors())
                .isTrue();
        var org = newOrganization();
        var created =
                org.api().post("/agents", Map.of("name", "A", "architecture", "pipeline", "livekit_agent_name", "a"));
        var headers = Map.of("Content-Type", List.of("application/json"), "X-Request-Id", List.of("r"));
        assertThat(OpenApiContract.validate(
                                "http://127.0.0.1:" + port,
                                "POST",
                                "/agents",
                                new Api.Response(201, headers, created.text()))
                        .hasErrors())
                .isFalse();
        var nullEnum = created.text().replaceFirst("\"architecture\":\"pipeline\"", "\"architecture\":null");
        var undocumentedField = created.text().replaceFirst("\\{", "{\"surprise\":1,");
        var missingField = created.text().replaceFirst("\"name\":\"A\",", "");
        for (var drifted : List.of(nullEnum, undocumentedField, missingField)) {
            assertThat(drifted).isNotEqualTo(created.text());
            assertThat(OpenApiContract.validate(
                                    "http://127.0.0.1:" + port,
                                    "POST",
                                    "/agents",
                                    new Api.Response(201, headers, drifted))
                            .hasErrors())
                    .as(drifted)
                    .isTrue();
        }
    }

    @Test
    void theWebhookMessageIsDocumentedAndItsCheckCatchesADrift() {
        var base = "http://127.0.0.1:" + port;
        var creditLow = """
                {"type":"credit.low","timestamp":"2026-11-21T10:34:46.656091Z",
                 "data":{"organization_id":"00000000-0000-4000-8000-000000000001","balance":4.25,"threshold":10.0}}""";
        assertThat(OpenApiContract.webhookViolations(base, creditLow)).isEmpty();
        assertThat(OpenApiContract.webhookViolations(base, creditLow.replace("credit.low", "credit.lower")))
                .isNotEmpty();
        assertThat(OpenApiContract.webhookViolations(base, creditLow.replace(",\"threshold\":10.0", "")))
                .isNotEmpty();
        var callback = operation("post", "/webhook-endpoints")
                .get("callbacks")
                .get("message")
                .get("{$request.body#/url}")
                .get("post");
        assertThat(callback.get("requestBody")
                        .get("content")
                        .get("application/json")
                        .get("schema")
                        .get("$ref")
                        .asString())
                .isEqualTo("#/components/schemas/WebhookMessage");
    }

    private static SimpleResponse problem(int status, String contentType, String body) {
        return SimpleResponse.Builder.status(status)
                .withContentType(contentType)
                .withHeader("X-Request-Id", "r-1")
                .withBody(body)
                .build();
    }

    private static void assertValid(ValidationReport report) {
        assertThat(report.hasErrors())
                .as(SimpleValidationReportFormat.getInstance().apply(report))
                .isFalse();
    }

    private OpenApiInteractionValidator validator() {
        return OpenApiInteractionValidator.createForInlineApiSpecification(text).build();
    }

    private JsonNode schema(String name) {
        return doc.get("components").get("schemas").get(name);
    }

    private JsonNode operation(String method, String path) {
        return doc.get("paths").get(path).get(method);
    }

    private List<Op> operations() {
        var ops = new ArrayList<Op>();
        for (var path : doc.get("paths").propertyNames()) {
            for (var method : doc.get("paths").get(path).propertyNames()) {
                ops.add(new Op(method, path, doc.get("paths").get(path).get(method)));
            }
        }
        return ops;
    }

    private record Op(String method, String path, JsonNode operation) {
        @Override
        public String toString() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
        }
    }
}
