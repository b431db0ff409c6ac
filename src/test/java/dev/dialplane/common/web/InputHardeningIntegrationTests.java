package dev.dialplane.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Issue 8 point 2: every bad input is a clear 4xx in the route's shape, never a 500, on both databases. */
class InputHardeningIntegrationTests extends LiveKitIntegrationTest {

    private static final String TO = "+12025550123";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // ---- 1. text fields -------------------------------------------------------------------------

    @Test
    void nulAndControlCharactersInSingleLineFieldsAre422NamingTheField() {
        var setup = newSetup();
        var api = setup.api();
        var agentsBefore = count(api, "/agents");
        var trunksBefore = count(api, "/sip-trunks");

        assertInvalid(api.post("/agents", "{\"name\":\"bad\\u0000name\",\"architecture\":\"text\"}"), "name", "NUL");
        assertInvalid(api.post("/agents", "{\"name\":\"two\\nlines\",\"architecture\":\"text\"}"), "name", "U+000A");
        assertInvalid(
                api.post("/agents", "{\"name\":\"evil\\u202Etxt.exe\",\"architecture\":\"text\"}"),
                "name",
                "bidirectional");
        assertInvalid(
                api.post("/agents", "{\"name\":\"half \\ud800 pair\",\"architecture\":\"text\"}"),
                "name",
                "unpaired surrogate");
        assertInvalid(
                api.post(
                        "/sip-trunks", Map.of("name", "T", "address", "sip.example.com", "username", "u\r\nX-Evil: 1")),
                "username",
                "U+000D");
        assertInvalid(api.post("/sip-trunks", Map.of("name", "T\u0000", "address", "sip.example.com")), "name", "NUL");
        assertInvalid(api.post("/api-keys", Map.of("name", "key\u0000")), "name", "NUL");
        assertInvalid(
                api.post("/webhook-endpoints", Map.of("url", "https://example.com/hook", "description", "a\u0000b")),
                "description",
                "NUL");
        assertInvalid(admin().post("/admin/organizations", Map.of("name", "Org\u0085")), "name", "U+0085");
        assertInvalid(api.patch("/agents/" + setup.agentId(), Map.of("name", "x\u0000")), "name", "NUL");

        assertThat(count(api, "/agents")).isEqualTo(agentsBefore);
        assertThat(count(api, "/sip-trunks")).isEqualTo(trunksBefore);
        // a description may span lines, and a name may be any script (just not a disguised one)
        var multiLine = api.post(
                "/webhook-endpoints",
                Map.of("url", "https://example.com/hook", "description", "line one\nline two\ttabbed"));
        assertThat(multiLine.status()).as(multiLine.text()).isEqualTo(201);
        var unicode = api.post("/agents", Map.of("name", "Agentin Zoë 😀 مرحبا", "architecture", "text"));
        assertThat(unicode.status()).as(unicode.text()).isEqualTo(201);
    }

    @Test
    void aCallsDisplayNameAndContextRefuseWhatTheDatabaseOrSipCannotCarry() {
        var setup = newSetup();
        var bidi = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", TO, "display_name", "Bank\u202E"));
        assertInvalid(bidi, "display_name", "bidirectional");
        var nulInContext = setup.api()
                .post(
                        "/calls/outbound",
                        "{\"agent_id\":\"" + setup.agentId() + "\",\"to_number\":\"" + TO
                                + "\",\"context\":{\"nested\":[\"ok\",\"bad\\u0000\"]}}");
        assertInvalid(nulInContext, "context", "NUL");
        assertNothingReachedLiveKitFor(setup);
        assertThat(count(setup.api(), "/calls")).isZero();
    }

    // ---- 2. query parameters ----------------------------------------------------------------------

    @Test
    void queryParametersAreRangeChecked() {
        var api = newSetup().api();
        var far = api.get("/calls?created_after=%2B999999999-01-01T00:00:00Z");
        assertThat(far.status()).as(far.text()).isEqualTo(400);
        assertThat(far.json().get("code").asString()).isEqualTo("INVALID_PARAMETER");
        assertThat(far.json().get("detail").asString())
                .contains("created_after", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z");
        var before = api.get("/calls?created_before=-999999999-01-01T00:00:00Z");
        assertThat(before.status()).as(before.text()).isEqualTo(400);
        assertThat(before.json().get("detail").asString()).contains("created_before");

        var notUtf8 = api.get("/calls?status=%ED%A0%80");
        assertThat(notUtf8.status()).as(notUtf8.text()).isEqualTo(400);
        assertThat(notUtf8.json().get("code").asString()).isEqualTo("INVALID_PARAMETER");
        var notUtf8Idempotent = api.withHeader("Idempotency-Key", "k-" + java.util.UUID.randomUUID())
                .post("/telephony/outbound-call?to_number=%ED%A0%80&from_number=%2B12025550123");
        assertThat(notUtf8Idempotent.status()).as(notUtf8Idempotent.text()).isEqualTo(400);
        assertThat(notUtf8Idempotent.json().get("success").asBoolean()).isFalse();

        var hugeLimit = api.get("/agents?limit=99999999999");
        assertThat(hugeLimit.status()).isEqualTo(400);
        assertThat(hugeLimit.json().get("detail").asString()).contains("limit", "between 1 and 200");

        var farCursor = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        ("31556889832780799.0." + java.util.UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        for (var path : List.of(
                "/agents", "/calls", "/sip-trunks", "/phone-numbers", "/api-keys", "/webhook-endpoints", "/credits")) {
            var response = api.get(path + "?cursor=" + farCursor);
            assertThat(response.status()).as(path + " " + response.text()).isEqualTo(400);
            assertThat(response.json().get("code").asString()).isEqualTo("INVALID_CURSOR");
        }
    }

    // ---- 3. types by rule -----------------------------------------------------------------------

    @Test
    void theManagementApiIsStrictAboutTypes() {
        var setup = newSetup();
        var api = setup.api();
        var ordinal = api.post("/agents", "{\"name\":\"A\",\"architecture\":2}");
        assertInvalid(ordinal, "architecture", "must be one of pipeline, realtime, text");
        var transport = api.post("/sip-trunks", "{\"name\":\"T\",\"address\":\"sip.example.com\",\"transport\":3}");
        assertInvalid(transport, "transport", "must be one of");
        var cps = api.post("/sip-trunks", "{\"name\":\"T\",\"address\":\"sip.example.com\",\"cps_limit\":\"10\"}");
        assertInvalid(cps, "cps_limit", "must be an integer");
        var numberName = api.post("/agents", "{\"name\":42,\"architecture\":\"text\"}");
        assertInvalid(numberName, "name", "must be a string");
        var boolRecord = api.post("/agents", "{\"name\":\"A\",\"architecture\":\"text\",\"record\":\"true\"}");
        assertInvalid(boolRecord, "record", "must be true or false");
        var patched = api.patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", "5"));
        assertInvalid(patched, "max_channels", "must be an integer");
        var wholeFloat = api.post("/sip-trunks", "{\"name\":\"T\",\"address\":\"sip.example.com\",\"cps_limit\":10.0}");
        assertInvalid(wholeFloat, "cps_limit", "must be an integer");
    }

    @Test
    void theMrAssistantRouteConvertsExactlyWhatPydanticsLaxModeConverts() {
        var setup = newSetup();
        var accepted = setup.api()
                .post(
                        "/calls/outbound",
                        "{\"agent_id\":\"" + setup.agentId().toString().replace("-", "")
                                + "\",\"to_number\":\"" + TO
                                + "\",\"ringing_timeout_seconds\":\" 30 \",\"max_call_duration_seconds\":120.0,"
                                + "\"krisp_enabled\":0,\"hide_phone_number\":\"Yes\",\"play_dialtone\":\"off\",\"record\":1.0,"
                                + "\"wait_until_answered\":\"f\"}");
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
        var call = setup.api()
                .get("/calls/" + accepted.json().get("call_id").asString())
                .json();
        assertThat(call.get("agent_id").asString()).isEqualTo(setup.agentId().toString());

        var refused = setup.api()
                .post(
                        "/calls/outbound",
                        "{\"agent_id\":\"" + setup.agentId() + "\",\"to_number\":" + 12025550123L
                                + ",\"dtmf\":1234,\"priority\":1,\"ringing_timeout_seconds\":30.5,\"hide_phone_number\":2,"
                                + "\"play_dialtone\":\"maybe\",\"max_call_duration_seconds\":\"1e3\",\"krisp_enabled\":[true],"
                                + "\"media_encryption\":0,\"custom_headers\":{\"X-A\":1}}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        var types = pydanticTypes(refused.json());
        assertThat(types)
                .containsEntry("to_number", "string_type")
                .containsEntry("dtmf", "string_type")
                .containsEntry("priority", "string_type")
                .containsEntry("ringing_timeout_seconds", "int_from_float")
                .containsEntry("hide_phone_number", "bool_parsing")
                .containsEntry("play_dialtone", "bool_parsing")
                .containsEntry("max_call_duration_seconds", "int_parsing")
                .containsEntry("krisp_enabled", "bool_type")
                .containsEntry("media_encryption", "string_type")
                .containsEntry("custom_headers.X-A", "string_type");
        assertThat(count(setup.api(), "/calls")).isEqualTo(1);
    }

    // ---- 4 and 5. every field error in one 422, in each dialect's shape -------------------------

    @Test
    void oneTypeErrorNoLongerHidesTheOthersAndTheMrAssistant422IsFastApisShape() {
        var setup = newSetup();
        var response = setup.api()
                .post(
                        "/calls/outbound",
                        "{\"agent_id\":\"abc\",\"to_number\":\"+12025550123\",\"ringing_timeout_seconds\":0}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        var body = response.json();
        assertThat(fields(body)).containsExactly("agent_id", "ringing_timeout_seconds");
        assertThat(body.get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(body.get("title").asString()).isEqualTo("Unprocessable Content");
        assertThat(body.get("instance").asString()).isEqualTo("/calls/outbound");
        var detail = body.get("detail");
        assertThat(detail.isArray()).isTrue();
        var agent = detail.get(0);
        assertThat(JSON.writeValueAsString(agent.get("loc"))).isEqualTo("[\"body\",\"agent_id\"]");
        assertThat(agent.get("type").asString()).isEqualTo("uuid_parsing");
        assertThat(agent.get("msg").asString()).startsWith("Input should be a valid UUID");
        assertThat(agent.get("input").asString()).isEqualTo("abc");
        var ringing = detail.get(1);
        assertThat(JSON.writeValueAsString(ringing.get("loc"))).isEqualTo("[\"body\",\"ringing_timeout_seconds\"]");
        assertThat(ringing.get("type").asString()).isEqualTo("greater_than_equal");
        assertThat(ringing.get("msg").asString()).isEqualTo("Input should be greater than or equal to 1");
        assertThat(ringing.get("input").asInt()).isZero();
        assertThat(ringing.get("ctx").get("ge").asInt()).isEqualTo(1);

        var missing = setup.api().post("/calls/outbound", Map.of("to_number", "1-202-555-0123"));
        var missingDetail = missing.json().get("detail");
        assertThat(missingDetail.get(0).get("type").asString()).isEqualTo("missing");
        assertThat(missingDetail.get(0).get("msg").asString()).isEqualTo("Field required");
        assertThat(missingDetail.get(0).get("input").get("to_number").asString())
                .isEqualTo("1-202-555-0123");
        assertThat(missingDetail.get(1).get("type").asString()).isEqualTo("value_error");
        assertThat(missingDetail.get(1).get("msg").asString()).startsWith("Value error, to_number '1-202-555-0123'");
        assertNothingReachedLiveKitFor(setup);
    }

    @Test
    void theManagementApiListsTypeAndRangeErrorsTogether() {
        var api = newSetup().api();
        var response =
                api.post("/sip-trunks", "{\"name\":\"\",\"transport\":3,\"cps_limit\":\"10\",\"max_channels\":-1}");
        assertThat(response.status()).isEqualTo(422);
        assertThat(fields(response.json())).containsExactly("cps_limit", "max_channels", "name", "transport");
        assertThat(response.json().get("detail").asString()).isEqualTo("4 fields are invalid");
    }

    @Test
    void theTalkifaiEnvelopeCarriesDetailBesideError() {
        var setup = newSetup();
        var response = setup.api()
                .post("/telephony/outbound-call?to_number=%2B1202%095550123&from_number=" + query(setup.fromNumber()));
        assertThat(response.status()).isEqualTo(400);
        var body = response.json();
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("code").asString()).isEqualTo("INVALID_PHONE_NUMBER");
        assertThat(body.get("detail").asString()).isEqualTo(body.get("error").asString());
        // point 9: a tab is a tab
        assertThat(body.get("error").asString()).contains("a tab (U+0009)").doesNotContain("spaces");
    }

    // ---- 6. duplicate keys ------------------------------------------------------------------------

    @Test
    void duplicateKeysAre400NamingTheKeyWhileUnknownFieldsAreAccepted() {
        var setup = newSetup();
        var before = count(setup.api(), "/agents");
        var duplicate = setup.api().post("/agents", "{\"name\":\"a\",\"architecture\":\"text\",\"name\":\"b\"}");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json().get("code").asString()).isEqualTo("DUPLICATE_KEY");
        assertThat(duplicate.json().get("detail").asString()).contains("\"name\"");
        var nested = setup.api()
                .post(
                        "/calls/outbound",
                        "{\"agent_id\":\"" + setup.agentId() + "\",\"to_number\":\"" + TO
                                + "\",\"context\":{\"k\":1,\"k\":2}}");
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.json().get("detail").asString()).contains("\"k\"");
        var patch = setup.api().patch("/agents/" + setup.agentId(), "{\"name\":\"a\",\"name\":\"b\"}");
        assertThat(patch.status()).isEqualTo(400);
        assertThat(count(setup.api(), "/agents")).isEqualTo(before);

        var unknown = setup.api().post("/agents", "{\"name\":\"a\",\"architecture\":\"text\",\"color\":\"blue\"}");
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(201);
    }

    // ---- 7. limits ----------------------------------------------------------------------------------

    @Test
    void bodiesOverOneMebibyteAre413BeforeTheyAreRead() throws Exception {
        var setup = newSetup();
        var agentsBefore = count(setup.api(), "/agents");
        var big = "{\"name\":\"" + "a".repeat(2 * 1024 * 1024) + "\",\"architecture\":\"text\"}";

        var declared = setup.api().post("/agents", big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.contentType()).startsWith("application/problem+json");
        assertThat(declared.json().get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");

        // no Content-Length: refused while streaming
        var chunked = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/agents"))
                        .header("Authorization", "Bearer " + apiKeyOf(setup))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(JSON.readTree(chunked.body()).get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");

        var talkifai = setup.api()
                .send(
                        "POST",
                        "/telephony/outbound-call?to_number=%2B12025550123&from_number=" + query(setup.fromNumber()),
                        "application/json",
                        big);
        assertThat(talkifai.status()).isEqualTo(413);
        assertThat(talkifai.json().get("success").asBoolean()).isFalse();
        assertThat(talkifai.json().get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(count(setup.api(), "/agents")).isEqualTo(agentsBefore);
    }

    @Test
    void nestingAndNumberLengthHaveLimitsThatTheErrorNames() {
        var setup = newSetup();
        // lists include the operator's shared trunks, which other tests may have added
        var trunksBefore = count(setup.api(), "/sip-trunks");
        var deep = "{\"agent_id\":\"" + setup.agentId() + "\",\"to_number\":\"" + TO + "\",\"context\":"
                + "{\"a\":[".repeat(2500) + "1" + "]}".repeat(2500) + "}";
        var tooDeep = setup.api().post("/calls/outbound", deep);
        assertThat(tooDeep.status()).isEqualTo(400);
        assertThat(tooDeep.json().get("code").asString()).isEqualTo("JSON_TOO_DEEP");
        assertThat(tooDeep.json().get("detail").asString()).contains("64");

        var longNumber = setup.api().post("/sip-trunks", "{\"name\":\"T\",\"cps_limit\":" + "9".repeat(5000) + "}");
        assertThat(longNumber.status()).isEqualTo(400);
        assertThat(longNumber.json().get("code").asString()).isEqualTo("JSON_NUMBER_TOO_LONG");
        assertThat(longNumber.json().get("detail").asString()).contains("100");

        var beyondInt = setup.api().post("/sip-trunks", "{\"name\":\"T\",\"cps_limit\":99999999999}");
        assertInvalid(beyondInt, "cps_limit", "between 1 and 10000");
        var beyondIntLax = setup.api()
                .post(
                        "/calls/outbound",
                        "{\"agent_id\":\"" + setup.agentId() + "\",\"to_number\":\"" + TO
                                + "\",\"ringing_timeout_seconds\":1e30}");
        assertThat(beyondIntLax.status()).isEqualTo(422);
        assertThat(pydanticTypes(beyondIntLax.json())).containsEntry("ringing_timeout_seconds", "less_than_equal");
        assertThat(count(setup.api(), "/sip-trunks")).isEqualTo(trunksBefore);
    }

    // ---- 8. errors the servlet container answers ----------------------------------------------

    @Test
    void whatTomcatRefusesIsAnsweredAsJsonToo() throws Exception {
        for (var path : List.of("/calls/a%2Fb", "/calls/a%5Cb", "/calls/a%00b", "/agents?x=" + "a".repeat(9000))) {
            var response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(response).as(path).startsWith("HTTP/1.1 4");
            assertThat(response).as(path).containsIgnoringCase("content-type: application/problem+json");
            assertThat(body(response).get("code").asString()).isNotBlank();
        }
        var bigHeader = raw("GET /agents HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(10_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(bigHeader).startsWith("HTTP/1.1 4").containsIgnoringCase("content-type: application/problem+json");

        var talkifai = raw(
                "POST /telephony/outbound-call%2Fx HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(talkifai).startsWith("HTTP/1.1 400");
        assertThat(body(talkifai).get("success").asBoolean()).isFalse();
        assertThat(body(talkifai).get("detail").asString()).isNotBlank();

        var unknown = anonymous().post("/nowhere", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asString()).startsWith("No route POST /nowhere");
    }

    // ---- 10. one organization per number ------------------------------------------------------

    @Test
    void aNumberAnotherOrganizationHoldsIs409WithoutNamingTheHolder() {
        var holder = newSetup();
        var other = newSetup();
        var response = other.api()
                .post("/phone-numbers", Map.of("number", holder.fromNumber(), "sip_trunk_id", other.trunkId()));
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().get("code").asString()).isEqualTo("NUMBER_ALREADY_REGISTERED");
        assertThat(response.text())
                .doesNotContain(holder.org().id().toString(), holder.numberId().toString());
        var moved = other.api().patch("/phone-numbers/" + other.numberId(), Map.of("number", holder.fromNumber()));
        assertThat(moved.status()).isEqualTo(409);
        assertThat(moved.json().get("code").asString()).isEqualTo("NUMBER_ALREADY_REGISTERED");
        var again = holder.api()
                .post("/phone-numbers", Map.of("number", holder.fromNumber(), "sip_trunk_id", holder.trunkId()));
        assertThat(again.json().get("code").asString()).isEqualTo("PHONE_NUMBER_EXISTS");
    }

    @Test
    void twoOrganizationsRacingForOneNumberGetOneRegistration() {
        var a = newSetup();
        var b = newSetup();
        for (int round = 0; round < 5; round++) {
            var number = uniqueNumber();
            var first = CompletableFuture.supplyAsync(
                    () -> a.api().post("/phone-numbers", Map.of("number", number, "sip_trunk_id", a.trunkId())));
            var second = CompletableFuture.supplyAsync(
                    () -> b.api().post("/phone-numbers", Map.of("number", number, "sip_trunk_id", b.trunkId())));
            var statuses = new ArrayList<Integer>(
                    List.of(first.join().status(), second.join().status()));
            assertThat(statuses).as(first.join() + " / " + second.join()).containsExactlyInAnyOrder(201, 409);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static void assertInvalid(Api.Response response, String field, String messagePart) {
        assertThat(response.status()).as(response.text()).isEqualTo(422);
        assertThat(response.json().get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(message(response.json(), field)).contains(messagePart);
    }

    private static int count(Api api, String path) {
        var response = api.get(path + (path.contains("?") ? "&" : "?") + "limit=200");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("data").size();
    }

    /** field → Pydantic error type, from a MrAssistant 422's {@code detail} list. */
    private static Map<String, String> pydanticTypes(JsonNode problem) {
        var out = new java.util.LinkedHashMap<String, String>();
        for (var error : problem.get("detail")) {
            var loc = new ArrayList<String>();
            error.get("loc").forEach(part -> loc.add(part.asString()));
            out.put(
                    String.join(".", loc.subList(1, loc.size())),
                    error.get("type").asString());
        }
        return out;
    }

    private static String apiKeyOf(Setup setup) {
        var created = setup.api().post("/api-keys", Map.of("name", "raw client"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("key").asString();
    }

    private String raw(String request) throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode body(String rawResponse) {
        var body = rawResponse.substring(rawResponse.indexOf("\r\n\r\n") + 4);
        if (rawResponse.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
        }
        return JSON.readTree(body);
    }
}
