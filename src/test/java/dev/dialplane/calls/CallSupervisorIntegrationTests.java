package dev.dialplane.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.Instant;
import java.util.UUID;
import livekit.LivekitRoom.DeleteRoomRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * No call is left dialing or in progress forever: the supervisor, driven here with chosen times
 * instead of waiting, settles what the normal signals missed.
 */
class CallSupervisorIntegrationTests extends LiveKitIntegrationTest {

    private static final String TO = "+12025550123";

    @Autowired
    CallSupervisor supervisor;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aCallPastItsMaximumDurationIsHungUpByDialplane() {
        var setup = newSetup();
        var call = answeredCall(setup, TO, "max_call_duration_seconds", 60);
        var id = call.get("id").asString();

        // 61 s after the answer LiveKit's own limit should have ended it; within the grace nothing happens
        supervisor.endOverdueCalls(Instant.now().plusSeconds(61));
        assertThat(status(setup, id)).isEqualTo("in_progress");

        runUntilSettled(() -> supervisor.endOverdueCalls(Instant.now().plusSeconds(120)), setup, id);

        var ended = setup.api().get("/calls/" + id).json();
        assertThat(ended.get("status").asString()).isEqualTo("completed");
        assertThat(ended.get("end_reason").asString()).isEqualTo("max_duration");
        assertThat(LIVEKIT.requests("RoomService", "DeleteRoom"))
                .anySatisfy(r -> assertThat(r.bodyAs(DeleteRoomRequest.class).getRoom())
                        .isEqualTo(call.get("room_name").asString()));
        // its webhooks, arriving afterwards, do not relabel it
        deliverWebhooks();
        assertThat(setup.api().get("/calls/" + id).json().get("end_reason").asString())
                .isEqualTo("max_duration");
    }

    @Test
    void liveKitsOwnMaximumDurationHangUpIsReportedAsSuch() {
        var setup = newSetup();
        var call = answeredCall(setup, TO, "max_call_duration_seconds", 60);
        var id = call.get("id").asString();
        // LiveKit ends a call at max_call_duration like a normal hang-up (CLIENT_INITIATED); only the time tells
        jdbc.sql("update calls set max_end_at = :past where id = :id")
                .param("past", java.time.OffsetDateTime.now().minusSeconds(1))
                .param("id", UUID.fromString(id))
                .update();
        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        deliverWebhooks();
        assertThat(setup.api().get("/calls/" + id).json().get("end_reason").asString())
                .isEqualTo("max_duration");
    }

    @Test
    void anAnsweredCallWhoseEndWasNeverReportedIsCompleted() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        LIVEKIT.hangUpByCallee(call.get("room_name").asString()); // and its webhooks are lost

        runUntilSettled(() -> verifyAll(), setup, id);

        var ended = setup.api().get("/calls/" + id).json();
        assertThat(ended.get("status").asString()).isEqualTo("completed");
        assertThat(ended.get("end_reason").asString()).isEqualTo("hangup_unobserved");
    }

    @Test
    void aLiveCallThatLiveKitStillHasStaysLive() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        verifyAll();
        assertThat(status(setup, id)).isEqualTo("in_progress");
        var verified = jdbc.sql("select reconciled_at from calls where id = :id")
                .param("id", UUID.fromString(id))
                .query(java.time.OffsetDateTime.class)
                .single();
        assertThat(verified).isNotNull();
    }

    @Test
    void anOrphanedDialThatLiveKitAnsweredBecomesLive() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        orphan(id); // as if the dialing node died before recording the answer

        runUntilSettled(() -> supervisor.settleOrphanedDials(Instant.now()), setup, id, "in_progress");

        assertThat(status(setup, id)).isEqualTo("in_progress");
    }

    @Test
    void anOrphanedDialStillRingingIsHungUp() {
        var setup = newSetup();
        var held = LIVEKIT.onDial(TO, DialScript.holdUntilReleased());
        var id = setup.api()
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", TO))
                .json()
                .get("call_id")
                .asString();
        held.awaitDialed(WAIT);
        orphan(id);

        runUntilSettled(() -> supervisor.settleOrphanedDials(Instant.now()), setup, id);

        var ended = setup.api().get("/calls/" + id).json();
        assertThat(ended.get("status").asString()).isEqualTo("no_answer");
        assertThat(ended.get("end_reason").asString()).isEqualTo("answer_timeout");
        assertThat(held.awaitEnded(WAIT)).isNotBlank();
    }

    @Test
    void anOrphanedDialThatLiveKitForgotIsFailedAsInterrupted() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        orphan(id);

        runUntilSettled(() -> supervisor.settleOrphanedDials(Instant.now()), setup, id);

        var ended = setup.api().get("/calls/" + id).json();
        assertThat(ended.get("status").asString()).isEqualTo("failed");
        assertThat(ended.get("end_reason").asString()).isEqualTo("dial_interrupted");
    }

    /** One start-up style pass: every answered call verified once (each batch marks what it checked). */
    private int verifyAll() {
        var now = Instant.now().plusSeconds(1);
        var total = 0;
        int batch;
        do {
            batch = supervisor.verifyLiveCalls(now, now);
            total += batch;
        } while (batch == 200);
        return total;
    }

    /** Puts a call back to "dialing" with a deadline in the past, the state a dead node leaves behind. */
    private void orphan(String id) {
        var updated = jdbc.sql(
                        "update calls set status = 'dialing', dial_sent_at = :past, dial_deadline_at = :past where id = :id")
                .param("past", java.time.OffsetDateTime.now().minusMinutes(5))
                .param("id", UUID.fromString(id))
                .update();
        assertThat(updated).isEqualTo(1);
    }

    private static String status(Setup setup, String id) {
        return setup.api().get("/calls/" + id).json().get("status").asString();
    }

    private static void runUntilSettled(java.util.function.IntSupplier pass, Setup setup, String id) {
        runUntilSettled(pass, setup, id, null);
    }

    /** Other tests' leftover calls share the tables: run passes until this call is settled. */
    private static void runUntilSettled(java.util.function.IntSupplier pass, Setup setup, String id, String expected) {
        for (int i = 0; i < 50; i++) {
            pass.getAsInt();
            var status = status(setup, id);
            if (expected == null
                    ? !status.equals("in_progress") && !status.equals("dialing")
                    : status.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("call " + id + " was not settled");
    }
}
