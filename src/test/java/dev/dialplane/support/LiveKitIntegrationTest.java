package dev.dialplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.FakeLiveKit;
import dev.dialplane.fakelivekit.RecordedRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Dialplane in LiveKit mode, on the test database, talking to the wire-level fake LiveKit. All
 * subclasses share one Spring context and one fake; each test works in organizations of its own,
 * so tests never depend on what others left in the database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
public abstract class LiveKitIntegrationTest {

    protected static final FakeLiveKit LIVEKIT = SharedFakeLiveKit.instance();
    protected static final String ADMIN_TOKEN = "test-admin-token-" + UUID.randomUUID();
    protected static final String MASTER_KEY =
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    /** TalkifAI's answer wait, shortened from 60 s so timeouts are testable. */
    protected static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(4);

    protected static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DATABASE = TestDatabase.url();

    @LocalServerPort
    protected int port;

    /** The application's clock; tests may move it forward, and it is back to real time before each test. */
    @Autowired
    protected SettableClock clock;

    @DynamicPropertySource
    static void liveKitMode(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, DATABASE);
        registry.add("dialplane.livekit.url", LIVEKIT::url);
        registry.add("dialplane.livekit.api-key", LIVEKIT::apiKey);
        registry.add("dialplane.livekit.api-secret", LIVEKIT::apiSecret);
        registry.add("dialplane.secrets.master-key", () -> MASTER_KEY);
        registry.add("dialplane.admin.token", () -> ADMIN_TOKEN);
        registry.add("dialplane.calls.answer-timeout", () -> ANSWER_TIMEOUT.toSeconds() + "s");
        registry.add("dialplane.calls.wait-grace", () -> "5s");
        registry.add("dialplane.livekit.ringing-poll-interval", () -> "100ms");
        registry.add("dialplane.dispatch.capacity-retry-delay", () -> "200ms");
        // dial starts are timed where the fake LiveKit receives them, on a 2-core CI machine that also
        // runs every other cached context's workers: a wider allowance than production's 40 ms keeps
        // the pacing assertions about the dispatcher rather than the scheduler's jitter
        registry.add("dialplane.dispatch.pacing-tolerance", () -> "100ms");
    }

    @BeforeEach
    void resetLiveKitAndClock() {
        LIVEKIT.reset();
        clock.reset();
        LIVEKIT.webhookTarget(java.net.URI.create("http://127.0.0.1:" + port + "/webhooks/livekit"));
    }

    /** Places a call that the fake LiveKit answers, and returns it once Dialplane recorded the answer. */
    protected static JsonNode answeredCall(Setup setup, String to, Object... extraFields) {
        var request = new LinkedHashMap<String, Object>(
                body("agent_id", setup.agentId(), "to_number", to, "wait_until_answered", true));
        request.putAll(body(extraFields));
        var response = setup.api().post("/calls/outbound", request);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("in_progress");
        return setup.api()
                .get("/calls/" + response.json().get("call_id").asString())
                .json();
    }

    /** LiveKit's pending webhooks for this test, delivered to Dialplane now; returns its answers. */
    protected static List<Integer> deliverWebhooks() {
        return LIVEKIT.webhooks().deliverAll();
    }

    protected Api anonymous() {
        return Api.at(port);
    }

    protected Api admin() {
        return Api.at(port).withKey(ADMIN_TOKEN);
    }

    /**
     * A new organization with credits and its first API key, created through the admin API, with its
     * calling window turned off (through its API, as an operator would): tests place calls at any
     * wall-clock hour. Compliance tests turn the window on.
     */
    protected Org newOrganization() {
        return newOrganization(100);
    }

    protected Org newOrganization(Number credits) {
        var created =
                admin().post("/admin/organizations", Map.of("name", "Org " + UUID.randomUUID(), "credits", credits));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        var body = created.json();
        var org = new Org(
                UUID.fromString(body.get("id").asString()),
                Api.at(port).withKey(body.get("api_key").asString()));
        windowOff(org.api());
        return org;
    }

    /** Turns the organization's calling window off, so calls go out at any hour. */
    protected static void windowOff(Api api) {
        var body = new LinkedHashMap<String, Object>();
        body.put("calling_window", null);
        var off = api.put("/compliance-policy", body);
        assertThat(off.status()).as(off.text()).isEqualTo(200);
    }

    /** {@code POST /calls/outbound} from the setup's agent to {@code to}, with any extra fields. */
    protected static Api.Response place(Setup setup, String to, Object... extraFields) {
        var request = body("agent_id", setup.agentId(), "to_number", to);
        request.putAll(body(extraFields));
        return setup.api().post("/calls/outbound", request);
    }

    /** The default calling window as {@code PUT /compliance-policy} takes it: 08:00–21:00 every day. */
    protected static final Map<String, Object> DEFAULT_WINDOW =
            Map.of("start", "08:00", "end", "21:00", "days", List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun"));

    /** Turns the organization's calling window (back) on. */
    protected static void windowOn(Api api, Object window) {
        var on = api.put("/compliance-policy", Map.of("calling_window", window));
        assertThat(on.status()).as(on.text()).isEqualTo(200);
    }

    /** A setup whose organization has this calling window (the test support turns it off). */
    protected Setup withWindow(Object window) {
        var setup = newSetup();
        windowOn(setup.api(), window);
        return setup;
    }

    protected Setup withDefaultWindow() {
        return withWindow(DEFAULT_WINDOW);
    }

    /** Sets the application clock to {@code at}; it runs on from there. */
    protected void setClock(java.time.Instant at) {
        clock.advance(Duration.between(clock.instant(), at));
    }

    /** Sets the application clock to a local date-time in {@code zone}. */
    protected void setClock(String localDateTime, java.time.ZoneId zone) {
        setClock(at(localDateTime, zone));
    }

    protected static java.time.Instant at(String localDateTime, java.time.ZoneId zone) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    /** An organization set up to call: voice agent, inline trunk with a password, caller number. */
    protected Setup newSetup() {
        return newSetup(100);
    }

    protected Setup newSetup(Number credits) {
        var org = newOrganization(credits);
        var agent = create(
                org.api(),
                "/agents",
                Map.of("name", "Sales Agent", "architecture", "pipeline", "livekit_agent_name", "sales-agent"));
        var trunk = create(
                org.api(),
                "/sip-trunks",
                Map.of(
                        "name",
                        "Carrier",
                        "address",
                        "sip.carrier.example:5060",
                        "transport",
                        "tcp",
                        "username",
                        "acct-7",
                        "password",
                        "trunk-pass-" + UUID.randomUUID(),
                        "destination_country",
                        "US"));
        var number = uniqueNumber();
        var phone = create(
                org.api(),
                "/phone-numbers",
                Map.of(
                        "number",
                        number,
                        "sip_trunk_id",
                        trunk.get("id").asString(),
                        "outbound_agent_id",
                        agent.get("id").asString()));
        return new Setup(org, id(agent), id(trunk), id(phone), number);
    }

    private static final java.util.concurrent.atomic.AtomicInteger NUMBERS =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A caller number no other organization of this test's database holds (a number belongs to one
     * organization): +1 202 555 2000 onwards, clear of the sandbox's magic +1 202 555 01xx.
     */
    protected static String uniqueNumber() {
        return "+1202555" + (2000 + NUMBERS.getAndIncrement() % 8000);
    }

    /** {@code number} for a query string, its '+' encoded. */
    protected static String query(String number) {
        return number.replace("+", "%2B");
    }

    protected static JsonNode create(Api api, String path, Object body) {
        var response = api.post(path, body);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
    }

    protected static Map<String, Object> body(Object... keyValues) {
        var map = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** The {@code field} of every error in a 422 problem, in order. */
    protected static List<String> fields(JsonNode problem) {
        return problem.get("errors")
                .valueStream()
                .map(e -> e.get("field").asString())
                .toList();
    }

    /** The message of the 422 problem's error for {@code field}. */
    protected static String message(JsonNode problem, String field) {
        return problem.get("errors")
                .valueStream()
                .filter(e -> e.get("field").asString().equals(field))
                .map(e -> e.get("message").asString())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no error for " + field + " in " + problem));
    }

    protected static UUID id(JsonNode node) {
        return UUID.fromString(node.get("id").asString());
    }

    /** Polls the call until it satisfies the status (a condition wait, never a fixed sleep). */
    protected static JsonNode awaitCall(Api api, String callId, String status) {
        var holder = new JsonNode[1];
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            holder[0] = api.get("/calls/" + callId).json();
            return status.equals(holder[0].get("status").asString());
        });
        return holder[0];
    }

    /** The fake's log of one method, for the given room only (other tests' calls may still be running). */
    protected static List<RecordedRequest> requestsFor(String service, String method, String roomName) {
        return LIVEKIT.requests(service, method).stream()
                .filter(r -> r.body() != null && r.body().toString().contains(roomName))
                .toList();
    }

    /**
     * Nothing of this setup's reached LiveKit: no request names its agent (room names carry the
     * agent id) or its caller number. Other tests' calls may still be talking to the shared fake.
     */
    protected static void assertNothingReachedLiveKitFor(Setup setup) {
        assertThat(LIVEKIT.requests())
                .as("requests to LiveKit for agent %s or number %s", setup.agentId(), setup.fromNumber())
                .filteredOn(r -> r.body() != null
                        && (r.body().toString().contains(setup.agentId().toString())
                                || r.body().toString().contains(setup.fromNumber())))
                .isEmpty();
    }

    /** Waits for the room's dial to reach the fake LiveKit, then checks it was the only one. */
    protected static RecordedRequest awaitDialedOnce(String roomName) {
        Awaitility.await()
                .atMost(WAIT)
                .until(() ->
                        !requestsFor("SIP", "CreateSIPParticipant", roomName).isEmpty());
        return dialedOnce(roomName);
    }

    /** Every call is dialed exactly once: no client retry, no second attempt behind the caller's back. */
    protected static RecordedRequest dialedOnce(String roomName) {
        var dials = requestsFor("SIP", "CreateSIPParticipant", roomName);
        assertThat(dials).as("CreateSIPParticipant requests for " + roomName).hasSize(1);
        return dials.getFirst();
    }

    public record Org(UUID id, Api api) {}

    public record Setup(Org org, UUID agentId, UUID trunkId, UUID numberId, String fromNumber) {
        public Api api() {
            return org.api();
        }
    }
}
