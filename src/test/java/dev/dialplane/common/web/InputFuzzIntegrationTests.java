package dev.dialplane.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.DialplaneApplication;
import dev.dialplane.support.Api;
import dev.dialplane.support.TestDatabase;
import dev.dialplane.support.TestLiveKit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Property-based: generated bodies and query parameters, nasty ones included (NUL and other
 * controls, lone surrogates, bidi overrides, huge and over-long numbers, wrong types, deep nesting,
 * duplicate keys, broken JSON), sent to both call routes and every management route. Whatever is
 * sent, the answer is never a 5xx, an error is always in the route's shape, and a refusal stores
 * nothing. Runs its own Dialplane (jqwik has no Spring extension) on the test database.
 */
@PropertyDefaults(tries = 60)
class InputFuzzIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN_TOKEN = "fuzz-admin-" + UUID.randomUUID();

    private static ConfigurableApplicationContext app;
    private static Api anonymous;
    private static Api admin;
    private static Api api;
    private static String agentId;
    private static String trunkId;
    private static String callerNumber;

    @BeforeContainer
    static void start() {
        // as command-line arguments: they must win over application.yml, as a test's properties do
        var properties = TestLiveKit.properties(TestDatabase.isolatedUrl(), ADMIN_TOKEN);
        // beside the two cached test contexts (8 each): the suite stays within 20 connections
        properties.put("spring.datasource.hikari.maximum-pool-size", 3);
        var arguments = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        app = new SpringApplicationBuilder(DialplaneApplication.class).run(arguments);
        var port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        anonymous = Api.at(port);
        admin = anonymous.withKey(ADMIN_TOKEN);
        api = organization();
        agentId = created(api.post("/agents", Map.of("name", "Fuzz", "architecture", "pipeline", "livekit_agent_name", "fuzz"))).get("id").asString();
        trunkId = created(api.post("/sip-trunks", Map.of("name", "T", "address", "sip.example.com"))).get("id").asString();
        callerNumber = "+12025559000";
        created(api.post("/phone-numbers", Map.of("number", callerNumber, "sip_trunk_id", trunkId, "outbound_agent_id", agentId)));
    }

    @AfterContainer
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    // ---- properties -------------------------------------------------------------------------------

    @Property
    void mrAssistantCallBodies(@ForAll("outboundCallBodies") String body) {
        sent("POST", "/calls/outbound", body, api, "/calls");
    }

    @Property
    void talkifaiCallParameters(@ForAll("numberParameters") String to, @ForAll("numberParameters") String from) {
        var before = count(api, "/calls");
        var response = api.post("/telephony/outbound-call?to_number=" + to + "&from_number=" + from);
        assertNoServerError(response);
        if (response.status() >= 400) {
            assertTalkifaiEnvelope(response);
            if (response.header("X-Call-Id") == null) {
                assertThat(count(api, "/calls")).as("a refused call is not stored: " + response).isEqualTo(before);
            }
        }
    }

    @Property
    void agentBodies(@ForAll("agentBodies") String body) {
        sent("POST", "/agents", body, api, "/agents");
    }

    @Property
    void agentPatches(@ForAll("agentBodies") String body) {
        var before = api.get("/agents/" + agentId).text();
        var response = api.send("PATCH", "/agents/" + agentId, "application/merge-patch+json", body);
        assertNoServerError(response);
        if (response.status() >= 400) {
            assertProblem(response);
            assertThat(api.get("/agents/" + agentId).text()).as("a refused patch changes nothing").isEqualTo(before);
        } else {
            // put it back for the next try (the call bodies need a calling agent)
            api.patch("/agents/" + agentId, Map.of("name", "Fuzz", "architecture", "pipeline", "livekit_agent_name", "fuzz"));
        }
    }

    @Property
    void trunkBodies(@ForAll("trunkBodies") String body) {
        sent("POST", "/sip-trunks", body, api, "/sip-trunks");
    }

    @Property
    void phoneNumberBodies(@ForAll("phoneNumberBodies") String body) {
        sent("POST", "/phone-numbers", body, api, "/phone-numbers");
    }

    @Property
    void apiKeyBodies(@ForAll("apiKeyBodies") String body) {
        sent("POST", "/api-keys", body, api, "/api-keys");
    }

    @Property
    void webhookEndpointBodies(@ForAll("webhookEndpointBodies") String body) {
        // a fresh organization now and then: one may hold 20 endpoints
        sent("POST", "/webhook-endpoints", body, organizationEvery(15), "/webhook-endpoints");
    }

    @Property
    void organizationBodies(@ForAll("organizationBodies") String body) {
        var response = admin.send("POST", "/admin/organizations", "application/json", body);
        assertNoServerError(response);
        if (response.status() >= 400) {
            assertProblem(response);
        }
    }

    @Property
    void callListParameters(@ForAll("callListParameter") String name, @ForAll("queryValue") String value) {
        var response = api.get("/calls?" + name + "=" + value);
        assertNoServerError(response);
        if (response.status() >= 400) {
            assertProblem(response);
            assertThat(response.status()).isEqualTo(400);
        }
    }

    // ---- generators -------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> outboundCallBodies() {
        return bodies(Map.ofEntries(
                Map.entry("agent_id", Arbitraries.oneOf(Arbitraries.just(quote(agentId)), uuids(), value())),
                Map.entry("to_number", Arbitraries.oneOf(numbers(), value())),
                Map.entry("from_number", Arbitraries.oneOf(Arbitraries.just(quote(callerNumber)), numbers(), value())),
                Map.entry("context", value()),
                Map.entry("priority", Arbitraries.oneOf(Arbitraries.of("\"low\"", "\"urgent\"", "\"URGENT\""), value())),
                Map.entry("krisp_enabled", booleanish()),
                Map.entry("wait_until_answered", Arbitraries.oneOf(Arbitraries.just("false"), value())),
                Map.entry("display_name", value()),
                Map.entry("dtmf", Arbitraries.oneOf(Arbitraries.of("\"123#\"", "1234"), value())),
                Map.entry("play_dialtone", booleanish()),
                Map.entry("media_encryption", Arbitraries.oneOf(Arbitraries.of("\"ALLOW\"", "\"allow\"", "2"), value())),
                Map.entry("ringing_timeout_seconds", integerish()),
                Map.entry("max_call_duration_seconds", integerish()),
                Map.entry("hide_phone_number", booleanish()),
                Map.entry("custom_headers", Arbitraries.oneOf(Arbitraries.of("{\"X-Ok\":\"v\"}", "{\"X-Bad\":\"a\\r\\nb\"}"), value())),
                Map.entry("record", booleanish())));
    }

    @Provide
    Arbitrary<String> agentBodies() {
        return bodies(Map.of(
                "name", Arbitraries.oneOf(Arbitraries.just("\"Agent\""), value()),
                "architecture", Arbitraries.oneOf(Arbitraries.of("\"text\"", "\"pipeline\"", "2", "\"TEXT\""), value()),
                "livekit_agent_name", value(),
                "record", booleanish()));
    }

    @Provide
    Arbitrary<String> trunkBodies() {
        return bodies(Map.of(
                "name", Arbitraries.oneOf(Arbitraries.just("\"Carrier\""), value()),
                "address", Arbitraries.oneOf(Arbitraries.of("\"sip.example.com:5060\"", "\"sip:x@y\""), value()),
                "transport", Arbitraries.oneOf(Arbitraries.of("\"tls\"", "3"), value()),
                "username", value(),
                "password", value(),
                "destination_country", value(),
                "livekit_trunk_id", value(),
                "cps_limit", integerish(),
                "max_channels", integerish()));
    }

    @Provide
    Arbitrary<String> phoneNumberBodies() {
        return bodies(Map.of(
                "number", Arbitraries.oneOf(numbers(), value()),
                "sip_trunk_id", Arbitraries.oneOf(Arbitraries.just(quote(trunkId)), uuids(), value()),
                "outbound_agent_id", Arbitraries.oneOf(Arbitraries.just(quote(agentId)), value()),
                "inbound_agent_id", value(),
                "record", booleanish()));
    }

    @Provide
    Arbitrary<String> apiKeyBodies() {
        return bodies(Map.of("name", Arbitraries.oneOf(Arbitraries.just("\"key\""), value())));
    }

    @Provide
    Arbitrary<String> webhookEndpointBodies() {
        return bodies(Map.of(
                "url", Arbitraries.oneOf(Arbitraries.of("\"https://example.com/hook\"", "\"ftp://x\""), value()),
                "event_types", Arbitraries.oneOf(Arbitraries.of("[\"call.completed\"]", "[\"nope\"]", "[1]"), value()),
                "enabled", booleanish(),
                "description", value()));
    }

    @Provide
    Arbitrary<String> organizationBodies() {
        return bodies(Map.of(
                "name", Arbitraries.oneOf(Arbitraries.just("\"Org\""), value()),
                "credits", Arbitraries.oneOf(Arbitraries.of("10", "10.5", "1e999999999", "-1", "\"10\""), value()),
                "rate_per_minute", value(),
                "max_concurrent_calls", integerish()));
    }

    @Provide
    Arbitrary<String> numberParameters() {
        return Arbitraries.oneOf(
                Arbitraries.of("%2B12025550123", "%2B12025559000", "+12025559000", "12025550123", "%2B1202%095550123",
                        "%00", "%2B1%0D%0A", "", "%2B" + "9".repeat(300), "%E2%80%AE%2B1202", "%ED%A0%80"),
                Arbitraries.strings().ofMaxLength(20).map(s -> java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> callListParameter() {
        return Arbitraries.of("status", "agent_id", "from_number", "to_number", "created_after", "created_before", "limit", "cursor");
    }

    @Provide
    Arbitrary<String> queryValue() {
        var cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(("99999999999999." + "1." + UUID.randomUUID()).getBytes());
        return Arbitraries.oneOf(
                Arbitraries.of("%2B999999999-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "0",
                        "-1", "201", "99999999999999999999", "%00", "queued,bogus", "%2B12025550123", cursor, "abc", "%ED%A0%80",
                        UUID.randomUUID().toString(), "1e3", "%20"),
                Arbitraries.strings().ofMaxLength(30).map(s -> java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** A body: mostly an object of the route's fields (each present or not) plus a stray one; sometimes not an object at all. */
    private static Arbitrary<String> bodies(Map<String, Arbitrary<String>> fields) {
        var names = new ArrayList<>(fields.keySet());
        Arbitrary<String> object = Arbitraries.subsetOf(names).flatMap(chosen -> {
            List<Arbitrary<String>> parts = new ArrayList<>();
            for (var name : names) {
                if (chosen.contains(name)) {
                    parts.add(fields.get(name).map(v -> quote(name) + ":" + v));
                }
            }
            parts.add(Arbitraries.oneOf(Arbitraries.just(""), value().map(v -> "\"unknown_field\":" + v)));
            return combine(parts).map(list -> "{" + String.join(",", list.stream().filter(p -> !p.isEmpty()).toList()) + "}");
        });
        Arbitrary<String> odd = Arbitraries.of(
                "", "null", "[]", "\"text\"", "42", "{", "{\"a\":1,\"a\":2}", "{\"name\":\"x\",\"name\":\"y\"}",
                "[" + "[".repeat(3000) + "]".repeat(3000) + "]", "{\"x\":" + "7".repeat(5000) + "}", "{\"x\":1}garbage");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, object),
                net.jqwik.api.Tuple.of(1, odd));
    }

    private static Arbitrary<List<String>> combine(List<Arbitrary<String>> parts) {
        Arbitrary<List<String>> result = Arbitraries.just(List.of());
        for (var part : parts) {
            result = result.flatMap(list -> part.map(value -> {
                var longer = new ArrayList<>(list);
                longer.add(value);
                return (List<String>) longer;
            }));
        }
        return result;
    }

    /** Any JSON value, weighted towards the nasty. */
    private static Arbitrary<String> value() {
        return Arbitraries.lazyOf(
                () -> nastyStrings().map(InputFuzzIntegrationTests::quote),
                () -> Arbitraries.of("0", "-1", "1", "30", "30.0", "30.5", "2147483648", "-9223372036854775809",
                        "99999999999999999999999", "1e400", "1e-400", "-0", "true", "false", "null", "[]", "{}"),
                () -> Arbitraries.integers().map(String::valueOf),
                () -> Arbitraries.of("[\"a\",1,null]", "{\"k\":\"v\",\"n\":{\"m\":[1,2]}}", "{\"k\":\"\\u0000\"}",
                        "{\"\\u0000\":1}", "[\"\\ud800\"]", "{\"a\":" + "{\"a\":".repeat(70) + "1" + "}".repeat(70) + "}"));
    }

    private static Arbitrary<String> nastyStrings() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "ok", "\u0000", "a\u0000b", "u\r\nX-Evil: 1", "\t", "\u0085", "\u009f", "\u202Egnp.exe",
                        "\u2066x\u2069", "\ud800", "x\udc00y", "😀", "\u00a0", "Zoë", "'; drop table agents; --", "%00", "\\",
                        "\"", "+12025550123", "+1202\t5550123", "a".repeat(300), "b".repeat(20_000)),
                Arbitraries.strings().all().ofMaxLength(40));
    }

    private static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.of("+12025550123", "+1 202 555 0123", "1-202-555-0123", "+1202\t5550123", "+0123", "+", "+1\u0000",
                        "+" + "1".repeat(40), "+12025559000").map(InputFuzzIntegrationTests::quote),
                Arbitraries.integers().between(1000, 9999).map(n -> quote("+1202555" + n)));
    }

    private static Arbitrary<String> uuids() {
        return Arbitraries.of("\"" + UUID.randomUUID() + "\"", "\"00000000-0000-0000-0000-000000000000\"", "\"1-1-1-1-1\"",
                "\"" + UUID.randomUUID().toString().replace("-", "") + "\"");
    }

    private static Arbitrary<String> booleanish() {
        return Arbitraries.oneOf(Arbitraries.of("true", "false", "0", "1", "2", "1.0", "\"yes\"", "\"off\"", "\"maybe\"", "\"TRUE\""), value());
    }

    private static Arbitrary<String> integerish() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "1", "30", "30.0", "\"30\"", "\" 30 \"", "\"30.0\"", "30.5", "\"1e3\"", "true", "1e30",
                        "2147483648", "-2147483649", "\"" + "9".repeat(5000) + "\""),
                Arbitraries.integers().map(String::valueOf),
                value());
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
            assertThat(after).as("a refusal stores nothing: " + body + " → " + response).isEqualTo(before);
        } else {
            assertThat(after).as(body + " → " + response).isEqualTo(before + 1);
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

    private static int organizations;
    private static Api current;

    private static Api organizationEvery(int tries) {
        if (current == null || organizations++ % tries == 0) {
            current = organization();
        }
        return current;
    }

    private static Api organization() {
        var created = admin.post("/admin/organizations", Map.of("name", "Fuzz " + UUID.randomUUID(), "credits", 1000));
        return anonymous.withKey(created(created).get("api_key").asString());
    }

    private static JsonNode created(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
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
