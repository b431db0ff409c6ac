package dev.dialplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Scheduled calls end to end, on the application's settable clock: stored {@code scheduled}, queued
 * and dialed once their time and their callee's calling window have both come, canceled when their
 * {@code latest_at} passes or when hung up, never dialed before.
 */
class SchedulingIntegrationTests extends LiveKitIntegrationTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Autowired
    JdbcClient jdbc;

    private Instant notBefore(String callId) {
        return jdbc.sql("select not_before from calls where id = :id")
                .param("id", UUID.fromString(callId))
                .query(OffsetDateTime.class)
                .single()
                .toInstant();
    }

    private static String scheduled(Api.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("scheduled");
        return response.json().get("call_id").asString();
    }

    @Test
    void aCallScheduledForLaterIsDialedOnceWhenItIsDue() {
        var setup = newSetup();
        setClock(Instant.parse("2027-01-12T15:00:00Z"));
        var placed = place(setup, "+12125550123", "schedule_at", "2027-01-12T16:00:00Z");
        var id = scheduled(placed);
        assertThat(placed.json().get("schedule_at").asString()).isEqualTo("2027-01-12T16:00:00Z");
        var room = placed.json().get("room_name").asString();
        var stored = setup.api().get("/calls/" + id).json();
        assertThat(stored.get("status").asString()).isEqualTo("scheduled");
        assertThat(stored.get("schedule_at").asString()).isEqualTo("2027-01-12T16:00:00Z");
        assertThat(stored.get("latest_at").isNull()).isTrue();
        assertThat(notBefore(id)).isEqualTo(Instant.parse("2027-01-12T16:00:00Z"));
        assertThat(requestsFor("SIP", "CreateSIPParticipant", room)).isEmpty();

        setClock(Instant.parse("2027-01-12T16:00:01Z"));
        var dialed = awaitStarted(setup, id);
        assertThat(dialed.get("dialing_at").asString()).startsWith("2027-01-12T16:00:0");
        awaitDialedOnce(room);
        var events = setup.api().get("/calls/" + id + "/events").json().get("data");
        assertThat(events.get(0).get("status").asString()).isEqualTo("scheduled");
        assertThat(events.get(1).get("status").asString()).isEqualTo("queued");
    }

    @Test
    void withinCallingWindowWaitsForTheWindowInsteadOfRefusing() {
        var setup = withDefaultWindow();
        setClock("2027-01-12T03:00:00", NEW_YORK);
        var refused = place(setup, "+12125550124");
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);

        var placed = place(setup, "+12125550124", "within_calling_window", true);
        var id = scheduled(placed);
        assertThat(notBefore(id)).isEqualTo(at("2027-01-12T08:00:00", NEW_YORK));
        var room = placed.json().get("room_name").asString();

        setClock("2027-01-12T08:00:01", NEW_YORK);
        var dialed = awaitStarted(setup, id);
        assertThat(dialed.get("callee_local_time").asString()).startsWith("2027-01-12T08:00:0");
        awaitDialedOnce(room);
    }

    @Test
    void aScheduleThatFallsOutsideTheWindowWaitsForItsNextOpening() {
        var setup = withDefaultWindow();
        setClock("2027-01-12T12:00:00", NEW_YORK);
        // 22:00 in New York: the call is due at 08:00 the next morning
        var placed = place(setup, "+12125550125", "schedule_at", "2027-01-13T03:00:00Z");
        var id = scheduled(placed);
        assertThat(notBefore(id)).isEqualTo(at("2027-01-13T08:00:00", NEW_YORK));
        assertThat(placed.json().get("schedule_at").asString()).isEqualTo("2027-01-13T03:00:00Z");
    }

    @Test
    void aCallNotStartedByItsLatestAtIsCanceledUndialed() {
        var setup = newSetup();
        var paused = setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", 0));
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        setClock(Instant.parse("2027-01-12T15:00:00Z"));
        var placed = place(
                setup, "+12125550126", "schedule_at", "2027-01-12T16:00:00Z", "latest_at", "2027-01-12T16:30:00Z");
        var id = scheduled(placed);
        var room = placed.json().get("room_name").asString();
        assertThat(placed.json().get("latest_at").asString()).isEqualTo("2027-01-12T16:30:00Z");

        // due, queued behind the closed trunk; then its latest_at passes
        setClock(Instant.parse("2027-01-12T16:00:01Z"));
        awaitCall(setup.api(), id, "queued");
        setClock(Instant.parse("2027-01-12T16:30:01Z"));
        var canceled = awaitCall(setup.api(), id, "canceled");
        assertThat(canceled.get("end_reason").asString()).isEqualTo("schedule_expired");
        assertThat(canceled.get("cost").decimalValue()).isZero();

        var unlimited = new LinkedHashMap<String, Object>();
        unlimited.put("max_channels", null);
        setup.api().patch("/sip-trunks/" + setup.trunkId(), unlimited);
        assertThat(requestsFor("SIP", "CreateSIPParticipant", room)).isEmpty();
    }

    @Test
    void aLatestAtBeforeTheEarliestPossibleStartIsRefused() {
        var setup = withDefaultWindow();
        setClock("2027-01-12T03:00:00", NEW_YORK);
        var refused = place(
                setup,
                "+12125550127",
                "within_calling_window",
                true,
                "latest_at",
                at("2027-01-12T07:00:00", NEW_YORK).toString());
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().get("code").asString()).isEqualTo("SCHEDULE_UNREACHABLE");
        assertThat(refused.json().get("detail").asString())
                .contains(at("2027-01-12T08:00:00", NEW_YORK).toString());
        assertThat(setup.api().get("/calls").json().get("data").size()).isZero();
    }

    @Test
    void hangingUpAScheduledCallCancelsIt() {
        var setup = newSetup();
        setClock(Instant.parse("2027-01-12T15:00:00Z"));
        var placed = place(setup, "+12125550128", "schedule_at", "2027-01-12T16:00:00Z");
        var id = scheduled(placed);

        var hungUp = setup.api().post("/calls/" + id + "/hangup");
        assertThat(hungUp.status()).as(hungUp.text()).isEqualTo(200);
        var call = setup.api().get("/calls/" + id).json();
        assertThat(call.get("status").asString()).isEqualTo("canceled");
        assertThat(call.get("end_reason").asString()).isEqualTo("hangup_api");
        assertThat(setup.api().post("/calls/" + id + "/hangup").status()).isEqualTo(409);

        setClock(Instant.parse("2027-01-12T16:00:01Z"));
        var later = setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12125550129"));
        assertThat(later.status()).as(later.text()).isEqualTo(200);
        // the dispatcher has run since the scheduled call was due: it was not dialed
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> !requestsFor(
                                "SIP",
                                "CreateSIPParticipant",
                                later.json().get("room_name").asString())
                        .isEmpty());
        assertThat(requestsFor(
                        "SIP",
                        "CreateSIPParticipant",
                        placed.json().get("room_name").asString()))
                .isEmpty();
    }

    @Test
    void scheduleFieldsAreValidated() {
        var setup = newSetup();
        setClock(Instant.parse("2027-01-12T15:00:00Z"));
        var malformed = place(
                setup,
                "+12125550130",
                "schedule_at",
                "tomorrow",
                "latest_at",
                "2027-01-12T16:00:00",
                "within_calling_window",
                "perhaps");
        assertThat(malformed.status()).as(malformed.text()).isEqualTo(422);
        assertThat(malformed.text()).contains("schedule_at", "latest_at", "within_calling_window");

        var inverted = place(
                setup, "+12125550130", "schedule_at", "2027-01-12T18:00:00Z", "latest_at", "2027-01-12T17:00:00Z");
        assertThat(inverted.status()).as(inverted.text()).isEqualTo(422);
        assertThat(inverted.text()).contains("latest_at", "must be after schedule_at");

        var waiting = place(setup, "+12125550130", "schedule_at", "2027-01-12T18:00:00Z", "wait_until_answered", true);
        assertThat(waiting.status()).as(waiting.text()).isEqualTo(422);
        assertThat(waiting.text()).contains("wait_until_answered");

        var tooFar = place(setup, "+12125550130", "schedule_at", "2027-02-12T18:00:00Z");
        assertThat(tooFar.status()).as(tooFar.text()).isEqualTo(422);
        assertThat(tooFar.text()).contains("schedule_at", "at most 30 days ahead");

        var past = place(setup, "+12125550130", "latest_at", "2027-01-12T14:00:00Z");
        assertThat(past.status()).as(past.text()).isEqualTo(422);
        assertThat(past.text()).contains("latest_at", "must be in the future");
        assertThat(setup.api().get("/calls").json().get("data").size()).isZero();
    }

    @Test
    void aPastScheduleAtIsDialedAtOnce() {
        var setup = newSetup();
        var placed = place(setup, "+12125550131", "schedule_at", "2020-01-01T00:00:00Z");
        assertThat(placed.status()).as(placed.text()).isEqualTo(200);
        assertThat(placed.json().get("status").asString()).isIn("queued", "dialing");
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> !requestsFor(
                                "SIP",
                                "CreateSIPParticipant",
                                placed.json().get("room_name").asString())
                        .isEmpty());
    }

    @Test
    void turningTheWindowOffReleasesTheCallsWaitingForIt() {
        var setup = withDefaultWindow();
        var paused = setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", 0));
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        // queued just before the window closes; the trunk opens after it closed: held for 08:00
        setClock("2027-01-12T20:59:30", NEW_YORK);
        var queued = place(setup, "+12125550132");
        assertThat(queued.json().get("status").asString()).isEqualTo("queued");
        var queuedId = queued.json().get("call_id").asString();
        setClock("2027-01-12T21:00:10", NEW_YORK);
        var unlimited = new LinkedHashMap<String, Object>();
        unlimited.put("max_channels", null);
        setup.api().patch("/sip-trunks/" + setup.trunkId(), unlimited);
        var opening = at("2027-01-13T08:00:00", NEW_YORK);
        Awaitility.await().atMost(WAIT).until(() -> notBefore(queuedId).equals(opening));
        // and one scheduled for the same opening
        var scheduledId = scheduled(place(setup, "+12125550133", "within_calling_window", true));
        assertThat(notBefore(scheduledId)).isEqualTo(opening);

        var off = new LinkedHashMap<String, Object>();
        off.put("calling_window", null);
        assertThat(setup.api().put("/compliance-policy", off).status()).isEqualTo(200);

        for (var id : List.of(queuedId, scheduledId)) {
            var dialed = awaitStarted(setup, id);
            assertThat(dialed.get("callee_local_time").asString()).startsWith("2027-01-12T21:0");
            awaitDialedOnce(dialed.get("room_name").asString());
        }
    }

    /** The call once it left scheduled and queued: dialed (or ended) by the dispatcher. */
    private static tools.jackson.databind.JsonNode awaitStarted(Setup setup, String id) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> setup.api().get("/calls/" + id).json(),
                        call -> !List.of("scheduled", "queued")
                                .contains(call.get("status").asString()));
    }
}
