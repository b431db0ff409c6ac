package dev.dialplane.calls;

import dev.dialplane.common.Jdbc;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A call's history: one numbered event per state change, appended by {@link CallLifecycle} in the
 * transaction of the change, never updated. What {@code GET /calls/{id}/events} shows.
 */
@Repository
class CallEventLog {

    private final JdbcClient jdbc;

    CallEventLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    int nextSequence(UUID callId) {
        return jdbc.sql("select coalesce(max(sequence), 0) + 1 from call_events where call_id = :id")
                .param("id", callId)
                .query(Integer.class)
                .single();
    }

    void insertEvent(CallEvent event) {
        jdbc.sql("""
                        insert into call_events (call_id, sequence, status, cause, sip_status_code, occurred_at)
                        values (:callId, :sequence, :status, :cause, :sipStatusCode, :occurredAt)""")
                .param("callId", event.callId())
                .param("sequence", event.sequence())
                .param("status", event.status().toString())
                .param("cause", event.cause())
                .param("sipStatusCode", event.sipStatusCode())
                .param("occurredAt", Jdbc.utc(event.occurredAt()))
                .update();
    }

    List<CallEvent> events(UUID callId) {
        return jdbc.sql("select * from call_events where call_id = :id order by sequence")
                .param("id", callId)
                .query((rs, row) -> new CallEvent(
                        Jdbc.requiredUuid(rs, "call_id"),
                        rs.getInt("sequence"),
                        CallStatus.fromDatabase(rs.getString("status")),
                        rs.getString("cause"),
                        Jdbc.integer(rs, "sip_status_code"),
                        Jdbc.requiredInstant(rs, "occurred_at")))
                .list();
    }
}
