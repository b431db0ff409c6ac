package dev.dialplane.calls.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.fakelivekit.RecordedRequest;
import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import dev.dialplane.support.StartWindows;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The dispatcher's limits, order, pacing and retries, end to end through the API and the fake LiveKit. */
class DispatchIntegrationTests extends LiveKitIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void aCallWaitsQueuedWhileTheTrunkHasNoFreeLineAndDialsWhenOneFrees() {
        var setup = newSetup();
        limitTrunk(setup, Map.of("max_channels", 1));
        var first = LIVEKIT.onDial("+12025550131", DialScript.holdUntilReleased());
        var a = place(setup, "+12025550131");
        first.awaitDialed(WAIT);

        var b = setup.api()
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550132"))
                .json();

        assertThat(b.get("status").asString()).isEqualTo("queued");
        assertThat(b.get("queue_position").asLong()).isEqualTo(1);
        assertThat(b.has("estimated_start_at")).isFalse(); // no rate limit on this trunk, so no estimate
        assertThat(requestsFor("SIP", "CreateSIPParticipant", b.get("room_name").asString()))
                .isEmpty();

        first.fail(486, "Busy Here");
        awaitCall(setup.api(), a, "busy");
        awaitCall(setup.api(), b.get("call_id").asString(), "in_progress");
        dialedOnce(b.get("room_name").asString());
    }

    @Test
    void aPausedTrunkQueuesEverythingUntilItReopens() {
        var setup = newSetup();
        limitTrunk(setup, Map.of("max_channels", 0));
        var ids = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            var queued = setup.api()
                    .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+1202555014" + i))
                    .json();
            assertThat(queued.get("status").asString()).isEqualTo("queued");
            assertThat(queued.get("queue_position").asLong()).isEqualTo(i + 1);
            ids.add(queued.get("call_id").asString());
        }
        limitTrunk(setup, body("max_channels", null));
        for (var id : ids) {
            awaitCall(setup.api(), id, "in_progress");
        }
    }

    @Test
    void anOrganizationsConcurrencyCapQueuesItsExtraCalls() {
        var setup = newSetup();
        admin().patch("/admin/organizations/" + setup.org().id(), Map.of("max_concurrent_calls", 1));
        var live = answeredCall(setup, "+12025550151");
        var next = setup.api()
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550152"))
                .json();
        assertThat(next.get("status").asString()).isEqualTo("queued");

        assertThat(setup.api()
                        .post("/calls/" + live.get("id").asString() + "/hangup")
                        .status())
                .isEqualTo(200);
        awaitCall(setup.api(), next.get("call_id").asString(), "in_progress");
    }

    @Test
    void organizationsSharingATrunkTakeTurnsAndEachOneGoesByItsOwnPriority() {
        // the operator's carrier account, shared by two organizations, paused while their calls queue
        var shared = create(
                admin(),
                "/admin/sip-trunks",
                Map.of("name", "Operator carrier", "address", "sip.carrier.example", "max_channels", 0));
        var sharedId = shared.get("id").asString();
        var a = onSharedTrunk(sharedId);
        var b = onSharedTrunk(sharedId);

        var aCalls = List.of(
                placeQueued(a, "+12025550161", "low"),
                placeQueued(a, "+12025550162", "low"),
                placeQueued(a, "+12025550163", "urgent"),
                placeQueued(a, "+12025550164", "normal"),
                placeQueued(a, "+12025550165", "low"),
                placeQueued(a, "+12025550166", "low"));
        var bCalls = List.of(placeQueued(b, "+12025550171", "normal"), placeQueued(b, "+12025550172", "low"));
        // each call is busy at once, so the single line frees for the next one in turn
        for (var n = 1; n <= 6; n++) {
            LIVEKIT.onDial("+1202555016" + n, DialScript.sipFailure(486, "Busy Here"));
        }
        LIVEKIT.onDial("+12025550171", DialScript.sipFailure(486, "Busy Here"));
        LIVEKIT.onDial("+12025550172", DialScript.sipFailure(486, "Busy Here"));

        assertThat(admin().patch("/admin/sip-trunks/" + sharedId, Map.of("max_channels", 1))
                        .status())
                .isEqualTo(200);
        var all = new ArrayList<>(aCalls);
        all.addAll(bCalls);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> all.stream().allMatch(id -> status(id).equals("busy")));

        var order = LIVEKIT.requests("SIP", "CreateSIPParticipant").stream()
                .map(r -> r.bodyAs(CreateSIPParticipantRequest.class).getSipCallTo())
                .toList();
        assertThat(order).hasSize(8);
        // within an organization: priority first, then first in first out
        assertThat(order.stream().filter(n -> n.startsWith("+1202555016")))
                .containsExactly(
                        "+12025550163", "+12025550164", "+12025550161", "+12025550162", "+12025550165", "+12025550166");
        assertThat(order.stream().filter(n -> n.startsWith("+1202555017")))
                .containsExactly("+12025550171", "+12025550172");
        // between organizations: turns, so B's two calls go in the first four, not after A's six
        assertThat(order.subList(0, 4)).contains("+12025550171", "+12025550172");
    }

    /** An organization whose caller number is on the shared trunk. */
    private Setup onSharedTrunk(String sharedTrunkId) {
        var org = newOrganization();
        var agent = create(
                org.api(),
                "/agents",
                Map.of("name", "Agent", "architecture", "pipeline", "livekit_agent_name", "agent"));
        var caller = uniqueNumber();
        var number = create(
                org.api(),
                "/phone-numbers",
                Map.of(
                        "number",
                        caller,
                        "sip_trunk_id",
                        sharedTrunkId,
                        "outbound_agent_id",
                        agent.get("id").asString()));
        return new Setup(org, id(agent), UUID.fromString(sharedTrunkId), id(number), caller);
    }

    @Test
    void dialStartsOnARateLimitedTrunkNeverExceedItsLimitInAnySecond() {
        var starts = dialStartsOfQueuedCalls(14, 4, Duration.ZERO);
        assertThat(StartWindows.maxInAnyWindow(starts, Duration.ofSeconds(1)))
                .as(gaps(starts))
                .isLessThanOrEqualTo(4);
        var span = Duration.between(
                starts.stream().min(Instant::compareTo).orElseThrow(),
                starts.stream().max(Instant::compareTo).orElseThrow());
        assertThat(span).isGreaterThanOrEqualTo(Duration.ofMillis(13 * 250));
    }

    @Test
    void aCallSlowerToPrepareDoesNotBunchDialStartsAtTheCarrier() {
        // the first call's room takes 400 ms to create: were dials paced when claimed, it would be
        // sent just before the third and the carrier would see five INVITEs within one second
        var starts = dialStartsOfQueuedCalls(9, 4, Duration.ofMillis(400));
        assertThat(StartWindows.maxInAnyWindow(starts, Duration.ofSeconds(1)))
                .as(gaps(starts))
                .isLessThanOrEqualTo(4);
    }

    private static String gaps(List<Instant> starts) {
        var sorted = starts.stream().sorted().toList();
        var gaps = new ArrayList<Long>();
        for (int i = 1; i < sorted.size(); i++) {
            gaps.add(Duration.between(sorted.get(i - 1), sorted.get(i)).toMillis());
        }
        return "milliseconds between dial starts: " + gaps;
    }

    /** Queues calls on a paused trunk at {@code cps}, opens it, and returns when LiveKit received each dial. */
    private List<Instant> dialStartsOfQueuedCalls(int calls, int cps, Duration firstRoomDelay) {
        var setup = newSetup();
        limitTrunk(setup, Map.of("max_channels", 0, "cps_limit", cps));
        var rooms = new ArrayList<String>();
        for (int i = 0; i < calls; i++) {
            rooms.add(setup.api()
                    .post(
                            "/calls/outbound",
                            body(
                                    "agent_id",
                                    setup.agentId(),
                                    "to_number",
                                    "+120255502" + (10 + i),
                                    "max_call_duration_seconds",
                                    60))
                    .json()
                    .get("room_name")
                    .asString());
        }
        var queued = setup.api().get("/calls?status=queued").json().get("data");
        assertThat(queued).hasSize(calls);
        if (firstRoomDelay.isPositive()) {
            LIVEKIT.delayNext("RoomService", "CreateRoom", firstRoomDelay);
        }
        limitTrunk(setup, body("max_channels", null));

        var dials = new ArrayList<RecordedRequest>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            dials.clear();
            rooms.forEach(room -> dials.addAll(requestsFor("SIP", "CreateSIPParticipant", room)));
            return dials.size() == rooms.size();
        });
        return dials.stream().map(RecordedRequest::receivedAt).toList();
    }

    @Test
    void aCarrierCapacityRefusalIsRetriedAndSlowsTheTrunk() {
        var setup = newSetup();
        LIVEKIT.failNext(
                "SIP",
                "CreateSIPParticipant",
                "failed_precondition",
                412,
                "twirp error unknown: INVITE failed: sip status: 503 (SERVICE_UNAVAILABLE)",
                Map.of("sip_status_code", "503", "sip_status", "CPS limit exceeded"));

        var id = place(setup, "+12025550181");

        var answered = awaitCall(setup.api(), id, "in_progress");
        var statuses = events(setup.api(), id);
        assertThat(statuses).containsSubsequence("queued", "dialing", "queued", "dialing", "in_progress");
        assertThat(statuses).doesNotContain("no_answer", "failed");
        assertThat(requestsFor(
                        "SIP", "CreateSIPParticipant", answered.get("room_name").asString()))
                .hasSize(2);
        var factor = jdbc.sql("select rate_factor from trunk_pacing where trunk_id = :t")
                .param("t", setup.trunkId())
                .query(BigDecimal.class)
                .single();
        assertThat(factor).isEqualByComparingTo("0.55"); // halved, then one step back up for the accepted dial
    }

    @Test
    void aCarrierThatStaysFullFailsTheCallAfterTheRetries() {
        var setup = newSetup();
        LIVEKIT.onDial("+12025550182", DialScript.sipFailure(480, "Temporarily Unavailable: channel limit reached"));

        var id = place(setup, "+12025550182");

        var failed = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> setup.api().get("/calls/" + id).json(),
                        call -> call.get("status").asString().equals("failed"));
        assertThat(failed.get("end_reason").asString()).isEqualTo("carrier_capacity");
        assertThat(failed.get("sip_status_code").asInt()).isEqualTo(480);
        assertThat(failed.get("error_message").asString()).contains("carrier at capacity on 4 attempts");
        assertThat(requestsFor(
                        "SIP", "CreateSIPParticipant", failed.get("room_name").asString()))
                .hasSize(4);
        assertThat(events(setup.api(), id)).doesNotContain("no_answer");
    }

    @Test
    void aWaitingCallWhoseTimeRunsOutBeforeItsCapacityRetryFailsForCarrierCapacityNotCanceled() {
        var setup = newSetup();
        LIVEKIT.onDial("+12025550185", DialScript.sipFailure(503, "Service Unavailable"));

        // retries 200 ms, 400 ms, 800 ms apart: the third retry is due after the caller's 1 s wait
        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                "+12025550185",
                                "wait_until_answered",
                                true,
                                "ringing_timeout_seconds",
                                1));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var call = setup.api()
                .get("/calls/" + response.json().get("call_id").asString())
                .json();
        assertThat(call.get("status").asString()).isEqualTo("failed");
        assertThat(call.get("end_reason").asString()).isEqualTo("carrier_capacity");
        assertThat(call.get("sip_status_code").asInt()).isEqualTo(503);
        assertThat(call.get("sip_status").asString()).isEqualTo("Service Unavailable");
        assertThat(call.get("error_message").asString()).contains("time ran out before its retry");
        assertThat(requestsFor(
                        "SIP", "CreateSIPParticipant", call.get("room_name").asString()))
                .hasSizeBetween(1, 3);
        assertThat(events(setup.api(), call.get("call_id").asString())).doesNotContain("canceled", "no_answer");
    }

    @Test
    void aCallWhoseDialCouldNotBePreparedWhileLiveKitWasUnreachableWaitsAndIsDialedOnceItIsBack() {
        var setup = newSetup();
        LIVEKIT.failNext("RoomService", "CreateRoom", "unavailable", 503, "no response from servers");
        LIVEKIT.failNext("AgentDispatchService", "CreateDispatch", "unavailable", 503, "no response from servers");

        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                "+12025550187",
                                "wait_until_answered",
                                true,
                                "ringing_timeout_seconds",
                                30));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("in_progress");
        var id = response.json().get("call_id").asString();
        assertThat(events(setup.api(), id))
                .containsExactly("queued", "dialing", "queued", "dialing", "queued", "dialing", "in_progress");
        dialedOnce(response.json().get("room_name").asString());
    }

    @Test
    void aCapacityRefusalAfterThePhoneWasReportedRingingEndsTheCallInsteadOfRequeueingIt() {
        var setup = newSetup();
        var phone = LIVEKIT.onDial("+12025550184", DialScript.holdUntilReleased());
        var id = place(setup, "+12025550184");
        awaitCall(setup.api(), id, "ringing");

        phone.fail(503, "CPS limit exceeded");

        var failed = awaitCall(setup.api(), id, "failed");
        assertThat(failed.get("end_reason").asString()).isEqualTo("carrier_capacity");
        assertThat(failed.get("sip_status_code").asInt()).isEqualTo(503);
        assertThat(events(setup.api(), id)).containsExactly("queued", "dialing", "ringing", "failed");
        dialedOnce(failed.get("room_name").asString());
    }

    @Test
    void aPlainFourEightyIsTheCalleesNoAnswerAndNotRetried() {
        var setup = newSetup();
        LIVEKIT.onDial("+12025550183", DialScript.sipFailure(480, "Temporarily Unavailable"));
        var call = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", "+12025550183", "wait_until_answered", true))
                .json();
        assertThat(call.get("status").asString()).isEqualTo("no_answer");
        dialedOnce(call.get("room_name").asString());
    }

    @Test
    void aWaitingCallerWhoseCallNeverLeftTheQueueGetsATimeoutAndTheCallIsNeverDialed() {
        var setup = newSetup();
        limitTrunk(setup, Map.of("max_channels", 0));

        var response = setup.api()
                .post("/telephony/outbound-call?to_number=%2B12025550191&from_number=" + query(setup.fromNumber()));

        assertThat(response.status()).isEqualTo(408);
        assertThat(response.json().get("code").asString()).isEqualTo("CALL_TIMEOUT");
        assertThat(response.json().get("error").asString()).contains("No line was free");
        var id = response.header("X-Call-Id");
        var call = setup.api().get("/calls/" + id).json();
        assertThat(call.get("status").asString()).isEqualTo("canceled");
        assertThat(call.get("end_reason").asString()).isEqualTo("queue_timeout");

        limitTrunk(setup, body("max_channels", null));
        // the reopened trunk has nothing of this caller's left to dial
        assertThat(setup.api().get("/calls?status=queued").json().get("data")).isEmpty();
        assertThat(requestsFor(
                        "SIP", "CreateSIPParticipant", call.get("room_name").asString()))
                .isEmpty();
    }

    @Test
    void aWaitingCallerQueuedBrieflyStillGetsTheAnswerWithinItsOwnDeadline() {
        var setup = newSetup();
        limitTrunk(setup, Map.of("max_channels", 1));
        var first = LIVEKIT.onDial("+12025550192", DialScript.holdUntilReleased());
        place(setup, "+12025550192");
        first.awaitDialed(WAIT);

        var waiting = Thread.ofVirtual().start(() -> first.fail(486, "Busy Here"));
        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                "+12025550193",
                                "wait_until_answered",
                                true,
                                "ringing_timeout_seconds",
                                20));
        waiting.interrupt();

        assertThat(response.json().get("status").asString()).isEqualTo("in_progress");
        var dial = dialedOnce(response.json().get("room_name").asString()).bodyAs(CreateSIPParticipantRequest.class);
        assertThat(dial.getRingingTimeout().getSeconds()).isLessThanOrEqualTo(20);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private String status(String id) {
        return jdbc.sql("select status from calls where id = :id")
                .param("id", UUID.fromString(id))
                .query(String.class)
                .single();
    }

    private static List<String> events(Api api, String id) {
        return api.get("/calls/" + id + "/events")
                .json()
                .get("data")
                .valueStream()
                .map(e -> e.get("status").asString())
                .toList();
    }

    private static String place(Setup setup, String to) {
        var response = setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", to));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("call_id").asString();
    }

    private static String placeQueued(Setup setup, String to, String priority) {
        var response = setup.api()
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", to, "priority", priority));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("queued");
        return response.json().get("call_id").asString();
    }

    private static void limitTrunk(Setup setup, Map<String, Object> limits) {
        limitTrunkById(setup.api(), setup.trunkId().toString(), limits);
    }

    private static void limitTrunkById(Api api, String trunkId, Map<String, Object> limits) {
        var response = api.patch("/sip-trunks/" + trunkId, limits);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }
}
