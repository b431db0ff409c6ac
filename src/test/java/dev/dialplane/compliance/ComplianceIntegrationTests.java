package dev.dialplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The calling window end to end, with the application clock set to chosen instants: refused calls
 * answer with the callee's local time and the next allowed start and are never stored or dialed;
 * a queued call whose window closes waits, undialed, until it opens again.
 */
class ComplianceIntegrationTests extends LiveKitIntegrationTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Autowired
    JdbcClient jdbc;

    private static void assertRefused(Setup setup, Api.Response response, String nextAllowedAt, String... zones) {
        assertThat(response.status()).as(response.text()).isEqualTo(422);
        var problem = response.json();
        assertThat(problem.get("code").asString()).isEqualTo("OUTSIDE_CALLING_WINDOW");
        assertThat(problem.get("next_allowed_at").asString()).isEqualTo(nextAllowedAt);
        assertThat(problem.get("detail").asString()).contains(nextAllowedAt);
        for (var zone : zones) {
            assertThat(problem.get("detail").asString()).contains(zone);
        }
        assertThat(setup.api().get("/calls").json().get("data").size())
                .as("a refused call is not stored")
                .isZero();
        assertNothingReachedLiveKitFor(setup);
    }

    private static JsonNode assertPlaced(Setup setup, Api.Response response, String... zones) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var call = setup.api()
                .get("/calls/" + response.json().get("call_id").asString())
                .json();
        assertThat(call.get("callee_timezones").valueStream().map(JsonNode::asString))
                .containsExactly(zones);
        return call;
    }

    @Test
    void aNewOrganizationHasTheDefaultPolicy() {
        var created = admin().post("/admin/organizations", Map.of("name", "Fresh", "credits", 1))
                .json();
        var api = anonymous().withKey(created.get("api_key").asString());
        var policy = api.get("/compliance-policy").json();
        assertThat(policy.get("calling_window").get("start").asString()).isEqualTo("08:00");
        assertThat(policy.get("calling_window").get("end").asString()).isEqualTo("21:00");
        assertThat(policy.get("calling_window").get("days").valueStream().map(JsonNode::asString))
                .containsExactly("mon", "tue", "wed", "thu", "fri", "sat", "sun");
        assertThat(policy.get("max_attempts_per_number").isNull()).isTrue();
        assertThat(policy.get("dnc_enforced").asBoolean()).isTrue();
        assertThat(api.get("/compliance-policy/history").json().get("data").size())
                .isZero();
    }

    @Test
    void policyChangesAreValidatedAndRecorded() {
        var created = admin().post("/admin/organizations", Map.of("name", "Audited", "credits", 1))
                .json();
        var key = created.get("api_key").asString();
        var api = anonymous().withKey(key);

        var invalid = List.of(
                Map.of("calling_window", Map.of("start", "8:00", "end", "21:00", "days", List.of("mon"))),
                Map.of("calling_window", Map.of("start", "08:00", "end", "24:00", "days", List.of("mon"))),
                Map.of("calling_window", Map.of("start", "21:00", "end", "08:00", "days", List.of("mon"))),
                Map.of("calling_window", Map.of("start", "08:00", "end", "21:00", "days", List.of())),
                Map.of("calling_window", Map.of("start", "08:00", "end", "21:00", "days", List.of("mon", "mon"))),
                Map.of("calling_window", Map.of("start", "08:00", "end", "21:00", "days", List.of("monday"))),
                Map.of("max_attempts_per_number", Map.of("per_24h", 0)),
                Map.of("max_attempts_per_number", Map.of("per_24h", 5, "per_7d", 3)),
                Map.of("dnc_enforced", "yes"));
        var fields = List.of(
                "calling_window.start",
                "calling_window.end",
                "calling_window.end",
                "calling_window.days",
                "calling_window.days",
                "calling_window.days",
                "max_attempts_per_number.per_24h",
                "max_attempts_per_number.per_7d",
                "dnc_enforced");
        for (int i = 0; i < invalid.size(); i++) {
            var response = api.put("/compliance-policy", invalid.get(i));
            assertThat(response.status()).as(response.text()).isEqualTo(422);
            assertThat(fields(response.json())).as(response.text()).contains(fields.get(i));
        }
        assertThat(api.get("/compliance-policy/history").json().get("data").size())
                .as("refused changes are not recorded")
                .isZero();

        var weekdays = api.put(
                "/compliance-policy",
                Map.of(
                        "calling_window",
                        Map.of("start", "09:00", "end", "17:30", "days", List.of("fri", "mon")),
                        "max_attempts_per_number",
                        Map.of("per_24h", 3, "per_7d", 7)));
        assertThat(weekdays.status()).as(weekdays.text()).isEqualTo(200);
        assertThat(weekdays.json()
                        .get("calling_window")
                        .get("days")
                        .valueStream()
                        .map(JsonNode::asString))
                .containsExactly("mon", "fri");
        assertThat(weekdays.json().get("dnc_enforced").asBoolean())
                .as("left out: kept")
                .isTrue();
        var off = new LinkedHashMap<String, Object>();
        off.put("calling_window", null);
        off.put("dnc_enforced", false);
        var turnedOff = api.put("/compliance-policy", off);
        assertThat(turnedOff.json().get("calling_window").isNull()).isTrue();
        assertThat(turnedOff
                        .json()
                        .get("max_attempts_per_number")
                        .get("per_24h")
                        .asInt())
                .isEqualTo(3);

        var history = api.get("/compliance-policy/history").json().get("data");
        assertThat(history.size()).isEqualTo(2);
        var latest = history.get(0);
        assertThat(latest.get("api_key_prefix").asString()).isEqualTo(key.substring(0, 11));
        assertThat(latest.get("before").get("calling_window").get("start").asString())
                .isEqualTo("09:00");
        assertThat(latest.get("after").get("calling_window").isNull()).isTrue();
        assertThat(latest.get("after").get("dnc_enforced").asBoolean()).isFalse();
        assertThat(history.get(1)
                        .get("before")
                        .get("calling_window")
                        .get("start")
                        .asString())
                .as("the first change starts from the default")
                .isEqualTo("08:00");
    }

    @Test
    void theEdgesOfTheWindowInNewYork() {
        var setup = withDefaultWindow();
        setClock("2027-01-12T07:59:59", NEW_YORK);
        assertRefused(setup, place(setup, "+12125550123"), "2027-01-12T13:00:00Z", "America/New_York", "07:59:59");
        setClock("2027-01-12T21:00:00", NEW_YORK);
        assertRefused(setup, place(setup, "+12125550123"), "2027-01-13T13:00:00Z", "America/New_York");

        setClock("2027-01-12T08:00:00", NEW_YORK);
        var morning = assertPlaced(setup, place(setup, "+12125550123"), "America/New_York");
        assertThat(morning.get("callee_local_time").asString())
                .startsWith("2027-01-12T08:00:0")
                .endsWith("-05:00");
        setClock("2027-01-12T20:59:59", NEW_YORK);
        assertPlaced(setup, place(setup, "+12125550124"), "America/New_York");
    }

    @ParameterizedTest
    @CsvSource({
        "+12135550123, America/Los_Angeles",
        "+18085550123, Pacific/Honolulu",
        "+442079460000, Europe/London",
        "+61291234567, Australia/Sydney",
        "+912223456789, Asia/Calcutta"
    })
    void theWindowHoldsInTheCalleesOwnZone(String number, String zone) {
        var setup = withDefaultWindow();
        var id = ZoneId.of(zone);
        setClock("2027-01-12T07:59:59", id);
        var next =
                LocalDateTime.parse("2027-01-12T08:00").atZone(id).toInstant().toString();
        assertRefused(setup, place(setup, number), next, zone);
        setClock("2027-01-12T08:00:00", id);
        assertPlaced(setup, place(setup, number), zone);
    }

    @Test
    void aNumberInSeveralZonesIsCalledOnlyWhenEveryZoneAllowsIt() {
        var setup = withDefaultWindow();
        // noon in New York is 03:00 in Guam, where the toll-free plan also reaches
        setClock(Instant.parse("2027-01-12T17:00:00Z"));
        assertRefused(setup, place(setup, "+18005550123"), "2027-01-12T22:00:00Z", "Pacific/Guam");
        setClock(Instant.parse("2027-01-12T22:00:00Z"));
        var call = assertPlaced(
                setup,
                place(setup, "+18005550123"),
                CalleeTimeZones.of("+18005550123").stream().map(ZoneId::getId).toArray(String[]::new));
        assertThat(call.get("callee_timezones").size()).isGreaterThan(10);
    }

    @Test
    void daylightSavingChangeDays() {
        var setup = withDefaultWindow();
        // US: Sunday 2027-03-14, clocks forward at 02:00; 21:00 EST the evening before is 02:00Z
        setClock(Instant.parse("2027-03-14T02:00:00Z"));
        assertRefused(setup, place(setup, "+12125550123"), "2027-03-14T12:00:00Z", "America/New_York");
        setClock(Instant.parse("2027-03-14T11:59:59Z"));
        assertRefused(setup, place(setup, "+12125550123"), "2027-03-14T12:00:00Z", "07:59:59");
        setClock(Instant.parse("2027-03-14T12:00:00Z"));
        var call = assertPlaced(setup, place(setup, "+12125550123"), "America/New_York");
        assertThat(call.get("callee_local_time").asString())
                .startsWith("2027-03-14T08:00:0")
                .endsWith("-04:00");
        // EU: Sunday 2027-03-28, London's 08:00 is 07:00Z (BST)
        var europe = withDefaultWindow();
        setClock(Instant.parse("2027-03-28T06:59:59Z"));
        assertRefused(europe, place(europe, "+442079460000"), "2027-03-28T07:00:00Z", "Europe/London");
        setClock(Instant.parse("2027-03-28T07:00:00Z"));
        assertPlaced(europe, place(europe, "+442079460000"), "Europe/London");
    }

    @Test
    void daysOfTheWeek() {
        var setup = withWindow(
                Map.of("start", "09:00", "end", "17:00", "days", List.of("mon", "tue", "wed", "thu", "fri")));
        // Saturday 2027-01-16, noon in New York: next is Monday 09:00 EST
        setClock("2027-01-16T12:00:00", NEW_YORK);
        assertRefused(setup, place(setup, "+12125550123"), "2027-01-18T14:00:00Z", "America/New_York");
        setClock("2027-01-18T12:00:00", NEW_YORK);
        assertPlaced(setup, place(setup, "+12125550123"), "America/New_York");
    }

    @Test
    void theClientMayNameTheCalleesZone() {
        var setup = withDefaultWindow();
        // 22:00 in New York is 19:00 in Los Angeles, where the client says the callee is
        setClock("2027-01-12T22:00:00", NEW_YORK);
        assertThat(place(setup, "+12125550123").status()).isEqualTo(422);
        var call = assertPlaced(
                setup, place(setup, "+12125550123", "callee_timezone", "America/Los_Angeles"), "America/Los_Angeles");
        assertThat(call.get("callee_local_time").asString())
                .startsWith("2027-01-12T19:00:0")
                .endsWith("-08:00");

        var unknown = place(setup, "+12125550123", "callee_timezone", "Mars/Olympus_Mons");
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(422);
        assertThat(fields(unknown.json())).containsExactly("callee_timezone");
    }

    @Test
    void aNumberWithNoKnownZoneNeedsTheClientsZone() {
        var setup = withDefaultWindow();
        setClock("2027-01-12T12:00:00", NEW_YORK);
        // international freephone (+800): valid, in no time zone
        var response = place(setup, "+80012345678");
        assertThat(response.status()).as(response.text()).isEqualTo(422);
        assertThat(response.json().get("code").asString()).isEqualTo("CALLEE_TIMEZONE_UNKNOWN");
        assertThat(response.json().get("detail").asString()).contains("callee_timezone");
    }

    @Test
    void theTalkifaiRouteAnswers400() {
        var setup = withDefaultWindow();
        setClock("2027-01-12T06:00:00", NEW_YORK);
        var response = setup.api()
                .post("/telephony/outbound-call?to_number=%2B12125550123&from_number=" + query(setup.fromNumber()));
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("code").asString()).isEqualTo("OUTSIDE_CALLING_WINDOW");
        assertThat(response.json().get("error").asString()).contains("2027-01-12T13:00:00Z");
        assertThat(response.json().get("detail").asString())
                .isEqualTo(response.json().get("error").asString());
        assertThat(setup.api().get("/calls").json().get("data").size()).isZero();
        assertNothingReachedLiveKitFor(setup);
    }

    @Test
    void aQueuedCallWhoseWindowClosesWaitsForItToOpen() {
        // a window that closes for one minute a day: 23:59 to midnight
        var setup = withWindow(Map.of(
                "start", "00:00", "end", "23:59", "days", List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")));
        var paused = setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", 0));
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        setClock("2027-01-12T23:58:30", NEW_YORK);
        var placed = place(setup, "+12125550123");
        assertThat(placed.status()).as(placed.text()).isEqualTo(200);
        assertThat(placed.json().get("status").asString()).isEqualTo("queued");
        var id = placed.json().get("call_id").asString();
        var room = placed.json().get("room_name").asString();

        // the window closes while the call waits; the line frees: the dispatcher holds the call
        setClock("2027-01-12T23:59:10", NEW_YORK);
        var unlimited = new LinkedHashMap<String, Object>();
        unlimited.put("max_channels", null);
        setup.api().patch("/sip-trunks/" + setup.trunkId(), unlimited);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> jdbc.sql("select not_before from calls where id = :id")
                        .param("id", java.util.UUID.fromString(id))
                        .query(java.time.OffsetDateTime.class)
                        .optional()
                        .map(at -> at.toInstant().equals(Instant.parse("2027-01-13T05:00:00Z")))
                        .orElse(false));
        assertThat(setup.api().get("/calls/" + id).json().get("status").asString())
                .isEqualTo("queued");
        assertThat(requestsFor("SIP", "CreateSIPParticipant", room)).isEmpty();

        // midnight: the window opens and the dispatcher dials it, once
        setClock("2027-01-13T00:00:01", NEW_YORK);
        var dialed = Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> setup.api().get("/calls/" + id).json(),
                        call -> !call.get("status").asString().equals("queued"));
        assertThat(dialed.get("callee_local_time").asString()).startsWith("2027-01-13T00:00:0");
        awaitDialedOnce(room);
    }

    @Test
    void aWaitingCallerHeldByTheWindowGetsItsUsualTimeout() throws Exception {
        var setup = withDefaultWindow();
        var paused = setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", 0));
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        setClock("2027-01-12T20:59:59", NEW_YORK);
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> setup.api()
                .post("/telephony/outbound-call?to_number=%2B12125550123&from_number=" + query(setup.fromNumber())));
        var queued = Awaitility.await()
                .atMost(WAIT)
                .until(() -> setup.api().get("/calls").json().get("data"), calls -> calls.size() == 1);
        var id = queued.get(0).get("id").asString();
        var room = queued.get(0).get("room_name").asString();

        // 21:00 in New York: the line frees, the window has closed, the caller is still waiting
        setClock("2027-01-12T21:00:01", NEW_YORK);
        var unlimited = new LinkedHashMap<String, Object>();
        unlimited.put("max_channels", null);
        setup.api().patch("/sip-trunks/" + setup.trunkId(), unlimited);

        var response = waiting.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.status()).as(response.text()).isEqualTo(408);
        assertThat(response.json().get("code").asString()).isEqualTo("CALL_TIMEOUT");
        var call = setup.api().get("/calls/" + id).json();
        assertThat(call.get("end_reason").asString()).isEqualTo("queue_timeout");
        assertThat(requestsFor("SIP", "CreateSIPParticipant", room)).isEmpty();
    }
}
