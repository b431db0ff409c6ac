package dev.dialplane.calls.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.support.LiveKitIntegrationTest;
import dev.dialplane.support.TestDatabase;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The database fails at a chosen moment of a dial, and nothing is lost or misreported. The fault is
 * a PostgreSQL trigger that makes one kind of write of one organization's calls fail, as a
 * terminated connection or a failover would, until the test lifts it; a sequence (not rolled back
 * with the failed write) counts the failures. PostgreSQL only: H2 has no PL/pgSQL.
 */
class DatabaseFaultIntegrationTests extends LiveKitIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void installTheFault() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                TestDatabase.postgres(), "faults are injected with a PostgreSQL trigger");
        jdbc.sql("create table if not exists test_faults (organization_id uuid not null, kind varchar(32) not null)")
                .update();
        jdbc.sql("create sequence if not exists test_fault_hits").update();
        jdbc.sql("""
                create or replace function test_fault() returns trigger as $$
                begin
                  if exists (select 1 from test_faults f where f.organization_id = new.organization_id and (
                         (f.kind = 'answer' and new.status = 'in_progress' and old.status <> 'in_progress')
                      or (f.kind = 'dial_sent' and new.dial_sent_at is not null and old.dial_sent_at is null))) then
                    perform nextval('test_fault_hits');
                    raise exception 'injected fault: the database is unavailable' using errcode = '08006';
                  end if;
                  return new;
                end $$ language plpgsql""").update();
        jdbc.sql("drop trigger if exists test_fault on calls").update();
        jdbc.sql("create trigger test_fault before update on calls for each row execute function test_fault()")
                .update();
    }

    @AfterEach
    void liftTheFault() {
        if (TestDatabase.postgres()) {
            jdbc.sql("drop trigger if exists test_fault on calls").update();
            jdbc.sql("delete from test_faults").update();
        }
    }

    @Test
    void anAnswerWhoseWriteFailsIsRecordedOnceTheDatabaseIsBackAndTheCalleeIsNeverHungUp() {
        var setup = newSetup();
        var phone = LIVEKIT.onDial("+12025550191", DialScript.holdUntilReleased());
        var placed =
                setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550191"));
        var id = placed.json().get("call_id").asString();
        var room = placed.json().get("room_name").asString();
        awaitCall(setup.api(), id, "ringing");

        fault(setup, "answer");
        var before = hits();
        phone.answer();
        Awaitility.await().atMost(WAIT).until(() -> hits() >= before + 2); // the write failed, and was retried
        assertThat(setup.api().get("/calls/" + id).json().get("status").asString())
                .isEqualTo("ringing");
        lift(setup);

        var answered = awaitCall(setup.api(), id, "in_progress");
        assertThat(answered.get("end_reason").isNull()).isTrue();
        assertThat(requestsFor("RoomService", "DeleteRoom", room))
                .as("nobody hung up the callee")
                .isEmpty();
        dialedOnce(room);
    }

    @Test
    void aDatabaseErrorBeforeTheDialPutsTheCallBackInTheQueueAndItIsDialedOnce() {
        var setup = newSetup();
        fault(setup, "dial_sent");
        var before = hits();
        var placed =
                setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550192"));
        var id = placed.json().get("call_id").asString();
        Awaitility.await().atMost(WAIT).until(() -> hits() > before);
        lift(setup);

        var answered = awaitCall(setup.api(), id, "in_progress");
        dialedOnce(answered.get("room_name").asString());
        var statuses = setup.api()
                .get("/calls/" + id + "/events")
                .json()
                .get("data")
                .valueStream()
                .map(e -> e.get("status").asString())
                .toList();
        assertThat(statuses).containsSubsequence("queued", "dialing", "queued", "dialing", "in_progress");
        assertThat(statuses).doesNotContain("failed");
    }

    private void fault(Setup setup, String kind) {
        jdbc.sql("insert into test_faults (organization_id, kind) values (:org, :kind)")
                .param("org", setup.org().id())
                .param("kind", kind)
                .update();
    }

    private void lift(Setup setup) {
        jdbc.sql("delete from test_faults where organization_id = :org")
                .param("org", setup.org().id())
                .update();
    }

    private long hits() {
        // last_value is the sequence's start before its first use; is_called says whether it was used
        List<Long> value = jdbc.sql("select case when is_called then last_value else 0 end from test_fault_hits")
                .query(Long.class)
                .list();
        return value.getFirst();
    }
}
