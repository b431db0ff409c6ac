package dev.dialplane.calls;

import dev.dialplane.common.Jdbc;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * A call's history: one numbered event per state change, appended by {@link CallLifecycle} in the
 * transaction of the change, and one per outcome report, appended by {@link CallOutcomes}; never
 * updated. What {@code GET /calls/{id}/events} shows. Both writers hold the call's row lock, so
 * the numbering has no gaps or repeats.
 */
@Repository
class CallEventLog {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CallEventLog(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    int nextSequence(UUID callId) {
        return jdbc.sql("select coalesce(max(sequence), 0) + 1 from call_events where call_id = :id")
                .param("id", callId)
                .query(Integer.class)
                .single();
    }

    void insertEvent(CallEvent event) {
        jdbc.sql("""
                        insert into call_events (call_id, sequence, status, cause, sip_status_code, occurred_at,
                            event_type, outcome)
                        values (:callId, :sequence, :status, :cause, :sipStatusCode, :occurredAt, :type, :outcome)""")
                .param("callId", event.callId())
                .param("sequence", event.sequence())
                .param("status", event.status().toString())
                .param("cause", event.cause())
                .param("sipStatusCode", event.sipStatusCode())
                .param("occurredAt", Jdbc.utc(event.occurredAt()))
                .param("type", event.type())
                .param("outcome", event.outcome() == null ? null : json.writeValueAsString(event.outcome()))
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
                        Jdbc.requiredInstant(rs, "occurred_at"),
                        outcome(rs.getString("outcome"))))
                .list();
    }

    private @Nullable OutcomeReport outcome(@Nullable String stored) {
        return stored == null ? null : json.readValue(stored, OutcomeReport.class);
    }
}
