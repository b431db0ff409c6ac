package dev.dialplane.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.common.E164;
import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.fakelivekit.RecordedRequest;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Campaigns end to end against the fake LiveKit, whose request log witnesses every dial: the
 * concurrency cap, completion and counts, retries on the settable clock, pause, resume and cancel,
 * do-not-call and calling-window compliance, validation, and several drivers sharing a campaign.
 */
class CampaignIntegrationTests extends LiveKitIntegrationTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final AtomicInteger CALLEES = new AtomicInteger();

    @Autowired
    CampaignDriver driver;

    @Autowired
    JdbcClient jdbc;

    /** A callee number of New York's area code no other test of this class uses. */
    private static String callee() {
        return "+1212555" + (3000 + CALLEES.getAndIncrement() % 7000);
    }

    private static Map<String, Object> target(String number) {
        return Map.of("to_number", number);
    }

    private static JsonNode createCampaign(Setup setup, List<String> numbers, Object... extraFields) {
        var request = body(
                "agent_id",
                setup.agentId(),
                "name",
                "Renewals",
                "targets",
                numbers.stream().map(CampaignIntegrationTests::target).toList());
        request.putAll(body(extraFields));
        var created = setup.api().post("/campaigns", request);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return created.json();
    }

    private static JsonNode campaign(Setup setup, JsonNode created) {
        return setup.api()
                .get("/campaigns/" + created.get("campaign_id").asString())
                .json();
    }

    /** The fake's dials of this setup's agent to {@code number}. */
    private static List<RecordedRequest> dials(Setup setup, String number) {
        return LIVEKIT.requests("SIP", "CreateSIPParticipant").stream()
                .filter(r -> r.body() != null
                        && r.body()
                                .toString()
                                .contains("outbound_" + setup.agentId() + "_" + E164.digits(number) + "_"))
                .toList();
    }

    private static List<JsonNode> calls(Setup setup, String status) {
        var page = setup.api().get("/calls?limit=200" + (status == null ? "" : "&status=" + status));
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        var out = new ArrayList<JsonNode>();
        page.json().get("data").valueStream().forEach(out::add);
        return out;
    }

    private static List<JsonNode> liveCalls(Setup setup) {
        return calls(setup, "scheduled,queued,dialing,ringing,in_progress");
    }

    private static void hangUp(Setup setup, JsonNode call) {
        var ended = setup.api().post("/calls/" + call.get("id").asString() + "/hangup");
        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
    }

    private static JsonNode awaitCampaign(Setup setup, JsonNode created, String status) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> campaign(setup, created),
                        c -> c.get("status").asString().equals(status));
    }

    private static List<JsonNode> awaitInProgress(Setup setup, int count) {
        return Awaitility.await().atMost(WAIT).until(() -> calls(setup, "in_progress"), c -> c.size() == count);
    }

    private String contactStatus(JsonNode created, String number) {
        return ContactRows.status(jdbc, created, number);
    }

    private Instant nextAttemptAt(JsonNode created, String number) {
        return ContactRows.nextAttemptAt(jdbc, created, number);
    }

    @Test
    void neverMoreLiveCallsThanConcurrentCallsAndCompletesWithTheRightCounts() {
        var setup = newSetup();
        var numbers = List.of(callee(), callee(), callee(), callee(), callee());
        var created = createCampaign(setup, numbers, "concurrent_calls", 2, "context", Map.of("offer", "gold"));
        assertThat(created.get("status").asString()).isEqualTo("running");
        assertThat(created.get("total_targets").asInt()).isEqualTo(5);
        assertThat(created.get("agent_id").asString()).isEqualTo(setup.agentId().toString());

        var ended = 0;
        while (ended < 5) {
            var expected = Math.min(2, 5 - ended);
            var live = awaitInProgress(setup, expected);
            // every call the campaign placed that has not ended is one of these
            assertThat(liveCalls(setup)).hasSize(expected);
            var counts = campaign(setup, created).get("contacts");
            assertThat(counts.get("calling").asInt()).isEqualTo(expected);
            driver.pass();
            assertThat(liveCalls(setup)).hasSize(expected);
            hangUp(setup, live.getFirst());
            ended++;
        }
        var done = awaitCampaign(setup, created, "completed");
        assertThat(done.get("calls_initiated").asInt()).isEqualTo(5);
        assertThat(done.get("calls_completed").asInt()).isEqualTo(5);
        assertThat(done.get("calls_failed").asInt()).isZero();
        assertThat(done.get("contacts").get("completed").asInt()).isEqualTo(5);
        assertThat(done.get("completed_at").isNull()).isFalse();
        for (var number : numbers) {
            assertThat(dials(setup, number)).as("dials of " + number).hasSize(1);
        }
        // each call is an ordinary low-priority call carrying the campaign's context to the agent
        var call = calls(setup, null).getFirst();
        assertThat(call.get("priority").asString()).isEqualTo("low");
        assertThat(LIVEKIT.requests())
                .filteredOn(r -> r.body() != null
                        && r.body().toString().contains(call.get("room_name").asString())
                        && r.body().toString().contains("gold"))
                .isNotEmpty();
    }

    @Test
    void aBusyNumberIsRedialedAfterFiveMinutesAndAnInvalidOneNever() {
        var setup = newSetup();
        var busy = callee();
        var invalid = callee();
        LIVEKIT.onDial(busy, DialScript.sipFailure(486, "Busy Here"));
        LIVEKIT.onDial(invalid, DialScript.sipFailure(404, "Not Found"));
        var created = createCampaign(
                setup, List.of(busy, invalid), "concurrent_calls", 2, "retry_failed", true, "retry_attempts", 1);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> contactStatus(created, invalid).equals("failed"));
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> contactStatus(created, busy).equals("pending")
                        && liveCalls(setup).isEmpty());
        assertThat(dials(setup, busy)).hasSize(1);
        var retryAt = nextAttemptAt(created, busy);
        // 5 minutes after the first call ended (recorded when it ended, so between then and now)
        var first = calls(setup, "busy").getFirst();
        var endedAt = Instant.parse(first.get("ended_at").asString());
        assertThat(retryAt)
                .isBetween(endedAt.plus(Duration.ofMinutes(5)), clock.instant().plus(Duration.ofMinutes(5)));

        setClock(retryAt.minusSeconds(30));
        driver.pass();
        assertThat(liveCalls(setup)).isEmpty();
        assertThat(dials(setup, busy)).hasSize(1);

        setClock(retryAt.plusSeconds(1));
        Awaitility.await().atMost(WAIT).until(() -> dials(setup, busy).size() == 2);
        // the second attempt was its last: busy again, it fails
        var done = awaitCampaign(setup, created, "completed");
        assertThat(contactStatus(created, busy)).isEqualTo("failed");
        assertThat(done.get("calls_failed").asInt()).isEqualTo(2);
        assertThat(dials(setup, invalid)).hasSize(1);
        assertThat(dials(setup, busy)).hasSize(2);
    }

    @Test
    void pauseStopsNewDialsAndResumeGoesOn() {
        var setup = newSetup();
        var numbers = List.of(callee(), callee(), callee());
        var created = createCampaign(setup, numbers);
        var first = awaitInProgress(setup, 1);
        var id = created.get("campaign_id").asString();
        var paused = setup.api().post("/campaigns/" + id + "/pause");
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        assertThat(paused.json().get("status").asString()).isEqualTo("paused");
        assertThat(setup.api()
                        .post("/campaigns/" + id + "/pause")
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("CAMPAIGN_STATE_CONFLICT");

        hangUp(setup, first.getFirst());
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> contactStatus(created, numbers.get(0)).equals("completed"));
        driver.pass();
        assertThat(liveCalls(setup)).isEmpty();
        assertThat(campaign(setup, created).get("contacts").get("pending").asInt())
                .isEqualTo(2);
        assertThat(dials(setup, numbers.get(1))).isEmpty();

        var resumed = setup.api().post("/campaigns/" + id + "/resume");
        assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
        assertThat(resumed.json().get("status").asString()).isEqualTo("running");
        hangUp(setup, awaitInProgress(setup, 1).getFirst());
        hangUp(setup, awaitInProgress(setup, 1).getFirst());
        awaitCampaign(setup, created, "completed");
        numbers.forEach(n -> assertThat(dials(setup, n)).hasSize(1));
    }

    @Test
    void cancelCancelsWhatIsNotCalledAndLetsLiveCallsEnd() {
        var setup = newSetup();
        var numbers = List.of(callee(), callee(), callee());
        var created = createCampaign(setup, numbers);
        var live = awaitInProgress(setup, 1);
        var id = created.get("campaign_id").asString();
        var canceled = setup.api().post("/campaigns/" + id + "/cancel");
        assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);
        assertThat(canceled.json().get("status").asString()).isEqualTo("canceled");
        assertThat(canceled.json().get("contacts").get("canceled").asInt()).isEqualTo(2);
        assertThat(calls(setup, "in_progress")).hasSize(1);

        hangUp(setup, live.getFirst());
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> contactStatus(created, numbers.get(0)).equals("completed"));
        driver.pass();
        assertThat(dials(setup, numbers.get(1))).isEmpty();
        assertThat(dials(setup, numbers.get(2))).isEmpty();
        var again = setup.api().post("/campaigns/" + id + "/cancel");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asString()).isEqualTo("CAMPAIGN_ENDED");
        assertThat(campaign(setup, created).get("status").asString()).isEqualTo("canceled");
    }

    @Test
    void cancelHangsUpTheCallsItPlacedThatHaveNotStarted() {
        var setup = newSetup();
        var closed = setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", 0));
        assertThat(closed.status()).as(closed.text()).isEqualTo(200);
        var numbers = List.of(callee(), callee(), callee());
        var created = createCampaign(setup, numbers, "concurrent_calls", 2);
        var queued = Awaitility.await().atMost(WAIT).until(() -> calls(setup, "queued"), c -> c.size() == 2);

        var canceled =
                setup.api().post("/campaigns/" + created.get("campaign_id").asString() + "/cancel");
        assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);
        for (var call : queued) {
            var now = setup.api().get("/calls/" + call.get("id").asString()).json();
            assertThat(now.get("status").asString()).isEqualTo("canceled");
            assertThat(now.get("end_reason").asString()).isEqualTo("hangup_api");
        }
        assertThat(canceled.json().get("contacts").get("canceled").asInt()).isEqualTo(3);

        // the trunk opens and dials what is queued on it: nothing of the campaign's
        var open = new java.util.LinkedHashMap<String, Object>();
        open.put("max_channels", null);
        setup.api().patch("/sip-trunks/" + setup.trunkId(), open);
        var other = place(setup, callee());
        assertThat(other.status()).as(other.text()).isEqualTo(200);
        awaitDialedOnce(other.json().get("room_name").asString());
        numbers.forEach(n -> assertThat(dials(setup, n)).isEmpty());
    }

    @Test
    void pauseHoldsBackTheCallsNotDialedYet_andResumeCallsThemOnce() {
        var setup = newSetup();
        var closed = setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", 0));
        assertThat(closed.status()).as(closed.text()).isEqualTo(200);
        var numbers = List.of(callee(), callee());
        var created = createCampaign(setup, numbers, "concurrent_calls", 2);
        var id = created.get("campaign_id").asString();
        var queued = Awaitility.await().atMost(WAIT).until(() -> calls(setup, "queued"), c -> c.size() == 2);

        var paused = setup.api().post("/campaigns/" + id + "/pause");
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        for (var call : queued) {
            assertThat(setup.api()
                            .get("/calls/" + call.get("id").asString())
                            .json()
                            .get("status")
                            .asString())
                    .isEqualTo("canceled");
        }
        numbers.forEach(n -> assertThat(contactStatus(created, n)).isEqualTo("pending"));

        // the trunk opens while paused: nothing of the campaign is dialed; on resume each number once
        var open = new java.util.LinkedHashMap<String, Object>();
        open.put("max_channels", null);
        setup.api().patch("/sip-trunks/" + setup.trunkId(), open);
        driver.pass();
        numbers.forEach(n -> assertThat(dials(setup, n)).isEmpty());
        assertThat(setup.api().post("/campaigns/" + id + "/resume").status()).isEqualTo(200);
        for (var n : numbers) {
            Awaitility.await().atMost(WAIT).until(() -> !dials(setup, n).isEmpty());
        }
        for (var call : awaitInProgress(setup, 2)) {
            hangUp(setup, call);
        }
        awaitCampaign(setup, created, "completed");
        numbers.forEach(n -> assertThat(dials(setup, n)).hasSize(1));
        var attempts = jdbc.sql("select attempts from campaign_contacts where campaign_id = :c")
                .param("c", UUID.fromString(id))
                .query(Integer.class)
                .list();
        assertThat(attempts).as("a call the pause canceled is not an attempt").containsOnly(1);
    }

    @Test
    void aNumberOnTheDncListIsBlockedWithoutADial() {
        var setup = newSetup();
        var listed = callee();
        var other = callee();
        var added = setup.api().post("/dnc", Map.of("numbers", List.of(listed)));
        assertThat(added.status()).as(added.text()).isBetween(200, 201);
        var created = createCampaign(setup, List.of(listed, other), "concurrent_calls", 2);
        hangUp(setup, awaitInProgress(setup, 1).getFirst());
        var done = awaitCampaign(setup, created, "completed");
        assertThat(contactStatus(created, listed)).isEqualTo("blocked");
        assertThat(done.get("contacts").get("blocked").asInt()).isEqualTo(1);
        assertThat(dials(setup, listed)).isEmpty();
        assertThat(dials(setup, other)).hasSize(1);
    }

    @Test
    void aCampaignScheduledForLaterWaitsForItsTime() {
        var setup = newSetup();
        var number = callee();
        var start = clock.instant().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var created = createCampaign(setup, List.of(number), "schedule_at", start.toString());
        assertThat(created.get("status").asString()).isEqualTo("scheduled");
        assertThat(created.get("scheduled_at").asString()).isEqualTo(start.toString());
        assertThat(created.get("started_at").isNull()).isTrue();
        driver.pass();
        assertThat(dials(setup, number)).isEmpty();

        setClock(start.plusSeconds(1));
        hangUp(setup, awaitInProgress(setup, 1).getFirst());
        var done = awaitCampaign(setup, created, "completed");
        assertThat(done.get("started_at").isNull()).isFalse();
        assertThat(dials(setup, number)).hasSize(1);
    }

    @Test
    void aTargetOutsideItsCallingWindowWaitsForItWhileOthersAreCalled() {
        var setup = withDefaultWindow();
        // 21:30 in New York is 16:30 in Honolulu: inside 08:00–21:00 there, outside here
        setClock("2027-01-12T21:30:00", NEW_YORK);
        var newYork = callee();
        var honolulu = "+1808555" + (3000 + CALLEES.getAndIncrement() % 7000);
        var created = createCampaign(setup, List.of(newYork, honolulu), "concurrent_calls", 1);
        hangUp(setup, awaitInProgress(setup, 1).getFirst());
        assertThat(dials(setup, honolulu)).hasSize(1);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> contactStatus(created, honolulu).equals("completed"));
        assertThat(contactStatus(created, newYork)).isEqualTo("pending");
        assertThat(nextAttemptAt(created, newYork)).isEqualTo(at("2027-01-13T08:00:00", NEW_YORK));
        driver.pass();
        assertThat(dials(setup, newYork)).isEmpty();

        setClock("2027-01-13T08:00:01", NEW_YORK);
        hangUp(setup, awaitInProgress(setup, 1).getFirst());
        awaitCampaign(setup, created, "completed");
        assertThat(dials(setup, newYork)).hasSize(1);
    }

    @Test
    void aCampaignsOwnWindowNarrowsTheOrganizations() {
        var setup = withDefaultWindow();
        setClock("2027-01-12T09:00:00", NEW_YORK); // a Tuesday, inside the organization's 08:00–21:00
        var number = callee();
        var weekdayMornings =
                Map.of("start", "10:00", "end", "12:00", "days", List.of("mon", "tue", "wed", "thu", "fri"));
        var created = createCampaign(setup, List.of(number), "calling_window", weekdayMornings, "priority", "normal");
        assertThat(created.get("calling_window").get("start").asString()).isEqualTo("10:00");
        assertThat(created.get("calling_window").get("days").size()).isEqualTo(5);
        assertThat(created.get("priority").asString()).isEqualTo("normal");
        Awaitility.await()
                .atMost(WAIT)
                .ignoreExceptions()
                .until(() -> nextAttemptAt(created, number).equals(at("2027-01-12T10:00:00", NEW_YORK)));
        driver.pass();
        assertThat(dials(setup, number)).isEmpty();

        setClock("2027-01-12T10:00:01", NEW_YORK);
        var live = awaitInProgress(setup, 1).getFirst();
        assertThat(live.get("priority").asString()).isEqualTo("normal");
        hangUp(setup, live);
        awaitCampaign(setup, created, "completed");
        assertThat(dials(setup, number)).hasSize(1);

        // the same rules as the organization's window, named under calling_window
        var invalid = setup.api()
                .post(
                        "/campaigns",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "name",
                                "Bad window",
                                "targets",
                                List.of(target(callee())),
                                "calling_window",
                                Map.of("start", "12:00", "end", "10:00", "days", List.of("mon", "someday")),
                                "priority",
                                "top"));
        assertThat(invalid.status()).as(invalid.text()).isEqualTo(422);
        assertThat(invalid.text()).contains("calling_window", "end", "someday", "priority");
    }

    /** The scenario: started at 20:30 in New York, with hours of its own ending at 20:00. */
    @Test
    void aCampaignStartedAt2030NewYorkTimeCallsHonoluluNowAndNewYorkNextMorning() {
        var setup = withDefaultWindow();
        setClock("2027-01-12T20:30:00", NEW_YORK); // 15:30 in Honolulu
        var newYork = callee();
        var honolulu = "+1808555" + (3000 + CALLEES.getAndIncrement() % 7000);
        var created = createCampaign(
                setup,
                List.of(newYork, honolulu),
                "concurrent_calls",
                2,
                "calling_window",
                Map.of(
                        "start",
                        "09:00",
                        "end",
                        "20:00",
                        "days",
                        List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")));
        hangUp(setup, awaitInProgress(setup, 1).getFirst());
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> contactStatus(created, honolulu).equals("completed"));
        assertThat(dials(setup, honolulu)).hasSize(1);
        assertThat(contactStatus(created, newYork)).isEqualTo("pending");
        Awaitility.await()
                .atMost(WAIT)
                .ignoreExceptions()
                .until(() -> nextAttemptAt(created, newYork).equals(at("2027-01-13T09:00:00", NEW_YORK)));
        driver.pass();
        assertThat(dials(setup, newYork)).isEmpty();

        setClock("2027-01-13T09:00:01", NEW_YORK);
        hangUp(setup, awaitInProgress(setup, 1).getFirst());
        awaitCampaign(setup, created, "completed");
        assertThat(dials(setup, newYork)).hasSize(1);
    }

    @Test
    void aCampaignWhoseWindowNeverOverlapsTheOrganizationsFailsItsContactsWithoutADial() {
        var setup = withDefaultWindow();
        setClock("2027-01-12T09:00:00", NEW_YORK);
        var number = callee();
        var dawn = Map.of("start", "06:00", "end", "07:30", "days", List.of("mon", "tue", "wed", "thu", "fri"));
        var created = createCampaign(setup, List.of(number), "calling_window", dawn);
        var done = awaitCampaign(setup, created, "completed");
        assertThat(done.get("calls_failed").asInt()).isEqualTo(1);
        assertThat(done.get("calls_initiated").asInt()).isZero();
        assertThat(contactStatus(created, number)).isEqualTo("failed");
        assertThat(dials(setup, number)).isEmpty();
    }

    @Test
    void singleApiCallsGoAheadOfARunningCampaignsQueuedCalls() {
        var setup = newSetup();
        oneChannel(setup);
        var numbers = List.of(callee(), callee(), callee());
        createCampaign(setup, numbers, "concurrent_calls", 3);
        var first = awaitInProgress(setup, 1).getFirst();
        Awaitility.await().atMost(WAIT).until(() -> calls(setup, "queued").size() == 2);

        var single = place(setup, callee());
        assertThat(single.status()).as(single.text()).isEqualTo(200);
        var singleId = single.json().get("call_id").asString();
        hangUp(setup, first);
        awaitCall(setup.api(), singleId, "in_progress");
        // the campaign's calls queued before it still wait
        assertThat(calls(setup, "queued"))
                .hasSize(2)
                .allSatisfy(call -> assertThat(call.get("priority").asString()).isEqualTo("low"));
    }

    @Test
    void twoCampaignsOnOneTrunkTakeTurns() {
        var setup = newSetup();
        oneChannel(setup);
        var first = new ArrayList<String>();
        var second = new ArrayList<String>();
        for (int i = 0; i < 4; i++) {
            first.add(callee());
            second.add(callee());
        }
        createCampaign(setup, first, "concurrent_calls", 2);
        createCampaign(setup, second, "concurrent_calls", 2);
        var order = new ArrayList<String>();
        for (int i = 0; i < 8; i++) {
            var live = awaitInProgress(setup, 1).getFirst();
            var to = live.get("to_number").asString();
            order.add(first.contains(to) ? "first" : "second");
            hangUp(setup, live);
        }
        // neither runs ahead of the other by more than its concurrency while both have contacts left
        var lead = 0;
        var mostAhead = 0;
        for (var campaign : order.subList(0, 6)) {
            lead += campaign.equals("first") ? 1 : -1;
            mostAhead = Math.max(mostAhead, Math.abs(lead));
        }
        assertThat(mostAhead).as("dial order " + order).isLessThanOrEqualTo(2);
        assertThat(order.stream().filter("first"::equals).count())
                .as("dial order " + order)
                .isEqualTo(4);
    }

    /** The setup's trunk carries one call at a time, so calls beyond it wait in the queue. */
    private static void oneChannel(Setup setup) {
        var limited = setup.api().patch("/sip-trunks/" + setup.trunkId(), body("max_channels", 1));
        assertThat(limited.status()).as(limited.text()).isEqualTo(200);
    }

    /** MrAssistant's campaign response, field for field and type for type, on create and on read. */
    @Test
    void theResponseCarriesMrAssistantsFieldsWithTheirTypes() {
        var setup = newSetup();
        var start = clock.instant().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var created = createCampaign(setup, List.of(callee(), callee()), "schedule_at", start.toString());
        var read = campaign(setup, created);
        for (var body : List.of(created, read)) {
            assertThat(UUID.fromString(body.get("campaign_id").asString())).isNotNull();
            assertThat(body.get("agent_id").asString())
                    .isEqualTo(setup.agentId().toString());
            assertThat(body.get("name").asString()).isEqualTo("Renewals");
            assertThat(body.get("total_targets").isIntegralNumber()).isTrue();
            assertThat(body.get("total_targets").asInt()).isEqualTo(2);
            assertThat(body.get("status").asString()).isEqualTo("scheduled");
            assertThat(body.get("scheduled_at").asString()).isEqualTo(start.toString());
            assertThat(body.get("started_at").isNull()).isTrue();
            for (var count : List.of("calls_initiated", "calls_completed", "calls_failed")) {
                assertThat(body.get(count).isIntegralNumber()).as(count).isTrue();
                assertThat(body.get(count).asInt()).as(count).isZero();
            }
        }
        assertThat(read.get("campaign_id").asString())
                .isEqualTo(created.get("campaign_id").asString());
    }

    @Test
    void progressEstimatesWhatIsLeftAndMeasuresTheDialRate() {
        var setup = newSetup();
        var numbers = List.of(callee(), callee(), callee());
        var draft = createCampaign(setup, numbers, "concurrent_calls", 2, "draft", true);
        var id = draft.get("campaign_id").asString();
        var before = setup.api().get("/campaigns/" + id + "/progress");
        assertThat(before.status()).as(before.text()).isEqualTo(200);
        var planned = before.json();
        assertThat(planned.get("status").asString()).isEqualTo("draft");
        assertThat(planned.get("remaining").asInt()).isEqualTo(3);
        assertThat(planned.get("dial_rate_per_minute").asDouble()).isZero();
        assertThat(planned.get("estimated_completion_at").isNull()).isTrue();
        // 3 contacts × 2 assumed minutes × the organization's rate; two rounds of 2 minutes at 2 at a time
        var rate = new java.math.BigDecimal(
                setup.api().get("/credits").json().get("rate_per_minute").toString());
        assertThat(new java.math.BigDecimal(planned.get("estimated_cost").toString()))
                .isEqualByComparingTo(rate.multiply(java.math.BigDecimal.valueOf(6)));
        assertThat(planned.get("estimated_duration_seconds").asLong()).isEqualTo(240);
        assertThat(planned.get("assumptions").get("billed_minutes_per_contact").asInt())
                .isEqualTo(2);

        assertThat(setup.api().post("/campaigns/" + id + "/start").status()).isEqualTo(200);
        var live = awaitInProgress(setup, 2);
        var running = setup.api().get("/campaigns/" + id + "/progress").json();
        // two attempts in the last ten minutes: 0.2 a minute, so the three left take 15 minutes
        assertThat(running.get("dial_rate_per_minute").asDouble()).isEqualTo(0.2);
        assertThat(running.get("basis").asString()).isEqualTo("observed");
        var eta = Instant.parse(running.get("estimated_completion_at").asString());
        assertThat(eta)
                .isBetween(
                        clock.instant().plus(Duration.ofMinutes(14)),
                        clock.instant().plus(Duration.ofMinutes(16)));
        live.forEach(call -> hangUp(setup, call));
        hangUp(setup, awaitInProgress(setup, 1).getFirst());
        awaitCampaign(setup, draft, "completed");
        var done = setup.api().get("/campaigns/" + id + "/progress").json();
        assertThat(done.get("remaining").asInt()).isZero();
        assertThat(done.get("estimated_completion_at").isNull()).isTrue();
        assertThat(newSetup().api().get("/campaigns/" + id + "/progress").status())
                .isEqualTo(404);
    }

    @Test
    void invalidBodiesAre422sInFastApisForm() {
        var setup = newSetup();
        var number = callee();
        var response = setup.api()
                .post(
                        "/campaigns",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "name",
                                "",
                                "targets",
                                List.of(target(number), target("12"), target(number)),
                                "concurrent_calls",
                                11,
                                "retry_attempts",
                                "4",
                                "webhook_url",
                                "ftp://example.com/hook",
                                "webhook_secret",
                                "s3cret-value"));
        assertThat(response.status()).as(response.text()).isEqualTo(422);
        var problem = response.json();
        assertThat(fields(problem))
                .containsExactlyInAnyOrder(
                        "concurrent_calls",
                        "name",
                        "retry_attempts",
                        "targets[1].to_number",
                        "targets[2].to_number",
                        "webhook_url");
        assertThat(message(problem, "targets[2].to_number")).contains("duplicates targets[0].to_number");
        assertThat(message(problem, "webhook_url")).contains("http://");
        assertThat(response.text()).doesNotContain("s3cret-value");
        var loc = problem.get("detail")
                .valueStream()
                .map(d -> d.get("loc").toString())
                .toList();
        assertThat(loc).contains("[\"body\",\"targets\",2,\"to_number\"]");

        var empty =
                setup.api().post("/campaigns", body("agent_id", setup.agentId(), "name", "x", "targets", List.of()));
        assertThat(empty.status()).isEqualTo(422);
        assertThat(fields(empty.json())).containsExactly("targets");
        var missing = setup.api().post("/campaigns", Map.of());
        assertThat(fields(missing.json())).containsExactlyInAnyOrder("agent_id", "name", "targets");
    }

    @Test
    void anotherOrganizationsCampaignAndAgentAreNotFound() {
        var setup = newSetup();
        var created = createCampaign(setup, List.of(callee()), "schedule_at", "2099-01-01T00:00:00Z");
        var other = newSetup();
        var id = created.get("campaign_id").asString();
        var get = other.api().get("/campaigns/" + id);
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.json().get("code").asString()).isEqualTo("CAMPAIGN_NOT_FOUND");
        assertThat(other.api().post("/campaigns/" + id + "/cancel").status()).isEqualTo(404);
        var foreignAgent = other.api()
                .post(
                        "/campaigns",
                        body("agent_id", setup.agentId(), "name", "x", "targets", List.of(target(callee()))));
        assertThat(foreignAgent.status()).isEqualTo(404);
        assertThat(foreignAgent.json().get("code").asString()).isEqualTo("AGENT_NOT_FOUND");
        var list = setup.api().get("/campaigns");
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        assertThat(list.json().get("data").get(0).get("campaign_id").asString()).isEqualTo(id);
        assertThat(other.api().get("/campaigns").json().get("data").isEmpty()).isTrue();
        setup.api().post("/campaigns/" + id + "/cancel");
    }

    @Test
    void severalDriversShareACampaignAndDialEveryContactOnce() {
        var setup = newSetup();
        var nodes = List.of(driver.asNode("node-a"), driver.asNode("node-b"));
        nodes.forEach(CampaignDriver::start);
        try {
            var numbers = new ArrayList<String>();
            for (int i = 0; i < 12; i++) {
                numbers.add(callee());
            }
            var created = createCampaign(setup, numbers, "concurrent_calls", 4);
            var ended = 0;
            while (ended < numbers.size()) {
                var live = Awaitility.await().atMost(WAIT).until(() -> calls(setup, "in_progress"), c -> !c.isEmpty());
                assertThat(liveCalls(setup).size()).isLessThanOrEqualTo(4);
                for (var call : live) {
                    hangUp(setup, call);
                    ended++;
                }
            }
            var done = awaitCampaign(setup, created, "completed");
            assertThat(done.get("calls_completed").asInt()).isEqualTo(12);
            for (var number : numbers) {
                assertThat(dials(setup, number)).as("dials of " + number).hasSize(1);
            }
            var attempts = jdbc.sql("select attempts from campaign_contacts where campaign_id = :c")
                    .param("c", UUID.fromString(created.get("campaign_id").asString()))
                    .query(Integer.class)
                    .list();
            assertThat(attempts).hasSize(12).containsOnly(1);
        } finally {
            nodes.forEach(CampaignDriver::stop);
        }
    }
}
