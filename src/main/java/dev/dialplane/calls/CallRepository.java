package dev.dialplane.calls;

import dev.dialplane.common.Jdbc;
import dev.dialplane.common.Keyset;
import dev.dialplane.common.PageRequest;
import dev.dialplane.livekit.SipDialRequest.MediaEncryption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class CallRepository {

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CallRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores a new call; {@code notBefore} is when a scheduled call is due (null for any other). */
    void insert(Call call, @Nullable Instant notBefore) {
        var options = call.options();
        jdbc.sql("""
                        insert into calls (id, organization_id, direction, dialect, agent_id, agent_name, livekit_agent_name,
                            phone_number_id, sip_trunk_id, from_number, to_number, room_name, status, end_reason,
                            sip_status_code, sip_status, error_message, priority, krisp_enabled, wait_until_answered,
                            display_name, dtmf, play_dialtone, media_encryption, ringing_timeout_seconds,
                            max_call_duration_seconds, hide_phone_number, custom_headers, context, participant_identity,
                            livekit_participant_id, livekit_sip_call_id, created_at, dialing_at, answered_at, ended_at,
                            updated_at, version, record, reserved_credits, cost, max_end_at, transfer_to,
                            recording_status, egress_id, recording_location, recording_error, rate_per_minute,
                            wait_deadline, dial_attempts, priority_rank, callee_timezones, callee_local_time,
                            schedule_at, latest_at, not_before)
                        values (:id, :org, :direction, :dialect, :agentId, :agentName, :livekitAgentName,
                            :phoneNumberId, :trunkId, :from, :to, :room, :status, :endReason,
                            :sipStatusCode, :sipStatus, :errorMessage, :priority, :krisp, :wait,
                            :displayName, :dtmf, :dialtone, :encryption, :ringing,
                            :maxDuration, :hide, :headers, :context, :identity,
                            :participantId, :sipCallId, :createdAt, :dialingAt, :answeredAt, :endedAt,
                            :updatedAt, :version, :record, :reserved, :cost, :maxEndAt, :transferTo,
                            :recordingStatus, :egressId, :recordingLocation, :recordingError, :rate,
                            :waitDeadline, :dialAttempts, :priorityRank, :calleeTimezones, :calleeLocalTime,
                            :scheduleAt, :latestAt, :notBefore)""")
                .param(
                        "calleeTimezones",
                        call.calleeTimezones().isEmpty() ? null : String.join(",", call.calleeTimezones()))
                .param("calleeLocalTime", call.calleeLocalTime())
                .param("scheduleAt", Jdbc.utc(call.scheduleAt()))
                .param("latestAt", Jdbc.utc(call.latestAt()))
                .param("notBefore", Jdbc.utc(notBefore))
                .param("id", call.id())
                .param("org", call.organizationId())
                .param("direction", Call.DIRECTION)
                .param("dialect", call.dialect().toString())
                .param("agentId", call.agentId())
                .param("agentName", call.agentName())
                .param("livekitAgentName", call.livekitAgentName())
                .param("phoneNumberId", call.phoneNumberId())
                .param("trunkId", call.sipTrunkId())
                .param("from", call.fromNumber())
                .param("to", call.toNumber())
                .param("room", call.roomName())
                .param("status", call.status().toString())
                .param(
                        "endReason",
                        call.endReason() == null ? null : call.endReason().toString())
                .param("sipStatusCode", call.sipStatusCode())
                .param("sipStatus", call.sipStatus())
                .param("errorMessage", call.errorMessage())
                .param("priority", call.priority().toString())
                .param("krisp", options.krispEnabled())
                .param("wait", options.waitUntilAnswered())
                .param("displayName", options.displayName())
                .param("dtmf", options.dtmf())
                .param("dialtone", options.playDialtone())
                .param("encryption", options.mediaEncryption().name())
                .param("ringing", options.ringingTimeoutSeconds())
                .param("maxDuration", options.maxCallDurationSeconds())
                .param("hide", options.hidePhoneNumber())
                .param(
                        "headers",
                        options.customHeaders().isEmpty() ? null : json.writeValueAsString(options.customHeaders()))
                .param("context", call.context())
                .param("identity", call.participantIdentity())
                .param("participantId", call.livekitParticipantId())
                .param("sipCallId", call.livekitSipCallId())
                .param("createdAt", Jdbc.utc(call.createdAt()))
                .param("dialingAt", Jdbc.utc(call.dialingAt()))
                .param("answeredAt", Jdbc.utc(call.answeredAt()))
                .param("endedAt", Jdbc.utc(call.endedAt()))
                .param("updatedAt", Jdbc.utc(call.updatedAt()))
                .param("version", call.version())
                .param("record", call.record())
                .param("reserved", call.reservedCredits())
                .param("cost", call.cost())
                .param("maxEndAt", Jdbc.utc(call.maxEndAt()))
                .param("transferTo", call.transferTo())
                .param("recordingStatus", call.recording().status().toString())
                .param("egressId", call.recording().egressId())
                .param("recordingLocation", call.recording().location())
                .param("recordingError", call.recording().error())
                .param("rate", call.ratePerMinute())
                .param("waitDeadline", Jdbc.utc(call.waitDeadline()))
                .param("dialAttempts", call.dialAttempts())
                .param("priorityRank", call.priority().ordinal())
                .update();
    }

    /**
     * Writes a status change, guarded by the version read under the row lock. Returns false when
     * the row changed meanwhile (cannot happen while the lock is held; kept as a safety net).
     */
    boolean updateState(Call call) {
        return jdbc.sql("""
                        update calls set status = :status, end_reason = :endReason, sip_status_code = :sipStatusCode,
                            sip_status = :sipStatus, error_message = :errorMessage,
                            livekit_participant_id = :participantId, livekit_sip_call_id = :sipCallId,
                            dialing_at = :dialingAt, answered_at = :answeredAt, ended_at = :endedAt,
                            updated_at = :updatedAt, version = :version, cost = :cost, max_end_at = :maxEndAt
                        where id = :id and version = :previousVersion""")
                        .param("status", call.status().toString())
                        .param(
                                "endReason",
                                call.endReason() == null
                                        ? null
                                        : call.endReason().toString())
                        .param("sipStatusCode", call.sipStatusCode())
                        .param("sipStatus", call.sipStatus())
                        .param("errorMessage", call.errorMessage())
                        .param("participantId", call.livekitParticipantId())
                        .param("sipCallId", call.livekitSipCallId())
                        .param("dialingAt", Jdbc.utc(call.dialingAt()))
                        .param("answeredAt", Jdbc.utc(call.answeredAt()))
                        .param("endedAt", Jdbc.utc(call.endedAt()))
                        .param("updatedAt", Jdbc.utc(call.updatedAt()))
                        .param("version", call.version())
                        .param("cost", call.cost())
                        .param("maxEndAt", Jdbc.utc(call.maxEndAt()))
                        .param("id", call.id())
                        .param("previousVersion", call.version() - 1)
                        .update()
                == 1;
    }

    Optional<Call> find(UUID organizationId, UUID id) {
        return jdbc.sql("select * from calls where organization_id = :org and id = :id")
                .param("org", organizationId)
                .param("id", id)
                .query(this::map)
                .optional();
    }

    Optional<Call> find(UUID id) {
        return jdbc.sql("select * from calls where id = :id")
                .param("id", id)
                .query(this::map)
                .optional();
    }

    /** Reads the call and locks its row until the transaction ends: transitions of one call serialize. */
    Optional<Call> findForUpdate(UUID id) {
        return jdbc.sql("select * from calls where id = :id for update")
                .param("id", id)
                .query(this::map)
                .optional();
    }

    /** The organization's call stored under an Idempotency-Key, if its request got that far. */
    Optional<Call> findByIdempotencyKey(UUID organizationId, String key) {
        return jdbc.sql("select * from calls where organization_id = :org and idempotency_key = :key")
                .param("org", organizationId)
                .param("key", key)
                .query(this::map)
                .optional();
    }

    /** Ties a new call to its request's Idempotency-Key; a second call under one key violates a unique index. */
    void setIdempotencyKey(UUID callId, String key) {
        jdbc.sql("update calls set idempotency_key = :key where id = :id")
                .param("key", key)
                .param("id", callId)
                .update();
    }

    Optional<Call> findByRoom(String roomName) {
        return jdbc.sql("select * from calls where room_name = :room")
                .param("room", roomName)
                .query(this::map)
                .optional();
    }

    /** What Dialplane and LiveKit said about a call's end before its status could record it. */
    record EndMarks(
            @Nullable EndReason requested,
            @Nullable Instant participantLeftAt,
            @Nullable String disconnectReason) {}

    EndMarks endMarks(UUID callId) {
        return jdbc.sql("select end_requested, participant_left_at, disconnect_reason from calls where id = :id")
                .param("id", callId)
                .query((rs, row) -> {
                    var requested = rs.getString("end_requested");
                    return new EndMarks(
                            requested == null ? null : EndReason.fromDatabase(requested),
                            Jdbc.instant(rs, "participant_left_at"),
                            rs.getString("disconnect_reason"));
                })
                .single();
    }

    void requestEnd(UUID callId, @Nullable EndReason reason) {
        jdbc.sql("update calls set end_requested = :reason where id = :id")
                .param("reason", reason == null ? null : reason.toString())
                .param("id", callId)
                .update();
    }

    void markParticipantLeft(UUID callId, Instant at, String disconnectReason) {
        jdbc.sql("update calls set participant_left_at = :at, disconnect_reason = :reason where id = :id")
                .param("at", Jdbc.utc(at))
                .param("reason", disconnectReason)
                .param("id", callId)
                .update();
    }

    /** The callee's local time when the call is claimed for dialing. */
    void setCalleeLocalTime(UUID callId, String localTime) {
        jdbc.sql("update calls set callee_local_time = :local where id = :id")
                .param("local", localTime)
                .param("id", callId)
                .update();
    }

    void setTransferTo(UUID callId, String transferTo) {
        jdbc.sql("update calls set transfer_to = :to where id = :id")
                .param("to", transferTo)
                .param("id", callId)
                .update();
    }

    /** A scheduled call became due: no longer held, and its queue time counts from {@code now}. */
    void markDue(UUID callId, Instant now) {
        jdbc.sql("update calls set not_before = null, window_deferred_until = :now where id = :id")
                .param("now", Jdbc.utc(now))
                .param("id", callId)
                .update();
    }

    /**
     * When each call of the organization to {@code toNumber} that counts against its attempt caps
     * was dialed, or is due: those that reached dialing since {@code since}, and those still
     * waiting (scheduled or queued), at their due time or {@code now}.
     */
    List<Instant> attemptTimes(UUID organizationId, String toNumber, Instant since, Instant now) {
        return jdbc.sql("""
                        select dialing_at, not_before from calls
                        where organization_id = :org and to_number = :to and created_at >= :created
                          and ((dialing_at is not null and dialing_at > :since) or status in ('scheduled', 'queued'))""")
                .param("org", organizationId)
                .param("to", toNumber)
                // a call dialed since may have been created up to its schedule's horizon before
                .param("created", Jdbc.utc(since.minus(PlaceCall.MAX_SCHEDULE_AHEAD)))
                .param("since", Jdbc.utc(since))
                .query((rs, row) -> {
                    var dialed = Jdbc.instant(rs, "dialing_at");
                    if (dialed != null) {
                        return dialed;
                    }
                    var due = Jdbc.instant(rs, "not_before");
                    return due != null && due.isAfter(now) ? due : now;
                })
                .list();
    }

    void releaseClaim(UUID callId, Instant notBefore, boolean countsAsAttempt, @Nullable RetryReason reason) {
        jdbc.sql("""
                        update calls set claimed_by = null, lease_until = null, dial_sent_at = null, dial_deadline_at = null,
                            not_before = :notBefore, dial_attempts = dial_attempts + :attempt,
                            retry_reason = coalesce(:reason, retry_reason)
                        where id = :id""")
                .param("notBefore", Jdbc.utc(notBefore))
                .param("attempt", countsAsAttempt ? 1 : 0)
                .param("reason", reason == null ? null : reason.name().toLowerCase(java.util.Locale.ROOT))
                .param("id", callId)
                .update();
    }

    /** Why the call was last put back in the queue for a later attempt, if it was. */
    Optional<RetryReason> retryReason(UUID callId) {
        return jdbc.sql("select retry_reason from calls where id = :id")
                .param("id", callId)
                .query(String.class)
                .optional()
                .map(reason -> RetryReason.valueOf(reason.toUpperCase(java.util.Locale.ROOT)));
    }

    void clearTransferTo(UUID callId) {
        jdbc.sql("update calls set transfer_to = null where id = :id")
                .param("id", callId)
                .update();
    }

    void updateRecording(UUID callId, Recording recording) {
        jdbc.sql("""
                        update calls set recording_status = :status, egress_id = :egressId, recording_location = :location,
                            recording_error = :error where id = :id""")
                .param("status", recording.status().toString())
                .param("egressId", recording.egressId())
                .param("location", recording.location())
                .param("error", recording.error())
                .param("id", callId)
                .update();
    }

    /** Records LiveKit's egress id, unless a webhook about the egress already did. */
    void setEgressId(UUID callId, String egressId) {
        jdbc.sql("update calls set egress_id = :egressId where id = :id and egress_id is null")
                .param("egressId", egressId)
                .param("id", callId)
                .update();
    }

    /** Calls whose dialing node should long have recorded an outcome (see {@link Call#dialDeadline}). */
    List<Call> orphanedDials(Instant now, int limit) {
        return jdbc.sql("""
                        select * from calls where status in ('dialing', 'ringing') and dial_sent_at is not null
                          and dial_deadline_at < :now
                        order by dial_deadline_at limit :limit""")
                .param("now", Jdbc.utc(now))
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** Answered calls past their maximum duration. */
    List<Call> overdue(Instant now, int limit) {
        return jdbc.sql("""
                        select * from calls where status = 'in_progress' and max_end_at < :now
                        order by max_end_at limit :limit""")
                .param("now", Jdbc.utc(now))
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** Answered calls not checked against LiveKit since {@code before}. */
    List<Call> unreconciled(Instant before, int limit) {
        return jdbc.sql("""
                        select * from calls where status = 'in_progress'
                          and coalesce(reconciled_at, answered_at) < :before
                        order by coalesce(reconciled_at, answered_at) limit :limit""")
                .param("before", Jdbc.utc(before))
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    void markReconciled(UUID callId, Instant now) {
        jdbc.sql("update calls set reconciled_at = :now where id = :id")
                .param("now", Jdbc.utc(now))
                .param("id", callId)
                .update();
    }

    /** One page of an organization's calls, newest first, narrowed by the filter. */
    List<Call> list(UUID organizationId, CallFilter filter, PageRequest page) {
        var params = new java.util.LinkedHashMap<String, Object>();
        var where = where(organizationId, filter, params);
        var query = jdbc.sql("select * from calls where " + where + " and " + Keyset.AFTER_CURSOR + " "
                        + Keyset.ORDER_AND_LIMIT)
                .params(params);
        return Keyset.bind(query, page).query(this::map).list();
    }

    /**
     * Calls newest first from {@code offset} on (MrAssistant's offset paging). With an agent in
     * the filter, calls_org_agent_created_idx serves the order, so skipping rows walks the index.
     */
    List<Call> listFrom(UUID organizationId, CallFilter filter, int offset, int limit) {
        var params = new java.util.LinkedHashMap<String, Object>();
        var where = where(organizationId, filter, params);
        return jdbc.sql("select * from calls where " + where
                        + " order by created_at desc, id desc limit :limit offset :offset")
                .params(params)
                .param("limit", limit)
                .param("offset", offset)
                .query(this::map)
                .list();
    }

    long count(UUID organizationId, CallFilter filter) {
        var params = new java.util.LinkedHashMap<String, Object>();
        var where = where(organizationId, filter, params);
        return jdbc.sql("select count(*) from calls where " + where)
                .params(params)
                .query(Long.class)
                .single();
    }

    private static String where(UUID organizationId, CallFilter filter, Map<String, Object> params) {
        var where = new StringBuilder("organization_id = :org");
        params.put("org", organizationId);
        if (!filter.statuses().isEmpty()) {
            where.append(" and status in (:statuses)");
            params.put(
                    "statuses",
                    filter.statuses().stream().map(CallStatus::toString).toList());
        }
        if (filter.agentId() != null) {
            where.append(" and agent_id = :agent");
            params.put("agent", filter.agentId());
        }
        if (filter.fromNumber() != null) {
            where.append(" and from_number = :from");
            params.put("from", filter.fromNumber());
        }
        if (filter.toNumber() != null) {
            where.append(" and to_number = :to");
            params.put("to", filter.toNumber());
        }
        if (filter.createdAfter() != null) {
            where.append(" and created_at >= :after");
            params.put("after", Jdbc.utc(filter.createdAfter()));
        }
        if (filter.createdBefore() != null) {
            where.append(" and created_at < :before");
            params.put("before", Jdbc.utc(filter.createdBefore()));
        }
        return where.toString();
    }

    private Call map(ResultSet rs, int row) throws SQLException {
        var headers = rs.getString("custom_headers");
        var options = new CallOptions(
                rs.getBoolean("krisp_enabled"),
                rs.getBoolean("wait_until_answered"),
                rs.getString("display_name"),
                rs.getString("dtmf"),
                rs.getBoolean("play_dialtone"),
                MediaEncryption.valueOf(rs.getString("media_encryption")),
                rs.getInt("ringing_timeout_seconds"),
                rs.getInt("max_call_duration_seconds"),
                rs.getBoolean("hide_phone_number"),
                headers == null ? Map.of() : json.readValue(headers, HEADERS));
        var endReason = rs.getString("end_reason");
        var zones = rs.getString("callee_timezones");
        return new Call(
                Jdbc.requiredUuid(rs, "id"),
                Jdbc.requiredUuid(rs, "organization_id"),
                CallDialect.fromDatabase(rs.getString("dialect")),
                Jdbc.requiredUuid(rs, "agent_id"),
                rs.getString("agent_name"),
                rs.getString("livekit_agent_name"),
                Jdbc.uuid(rs, "phone_number_id"),
                Jdbc.uuid(rs, "sip_trunk_id"),
                rs.getString("from_number"),
                rs.getString("to_number"),
                rs.getString("room_name"),
                CallStatus.fromDatabase(rs.getString("status")),
                endReason == null ? null : EndReason.fromDatabase(endReason),
                Jdbc.integer(rs, "sip_status_code"),
                rs.getString("sip_status"),
                rs.getString("error_message"),
                CallPriority.parse(rs.getString("priority")),
                options,
                rs.getString("context"),
                rs.getString("participant_identity"),
                rs.getString("livekit_participant_id"),
                rs.getString("livekit_sip_call_id"),
                Jdbc.requiredInstant(rs, "created_at"),
                Jdbc.instant(rs, "dialing_at"),
                Jdbc.instant(rs, "answered_at"),
                Jdbc.instant(rs, "ended_at"),
                Jdbc.requiredInstant(rs, "updated_at"),
                rs.getInt("version"),
                rs.getBoolean("record"),
                rs.getBigDecimal("reserved_credits"),
                rs.getBigDecimal("cost"),
                Jdbc.instant(rs, "max_end_at"),
                rs.getString("transfer_to"),
                new Recording(
                        Recording.Status.fromDatabase(rs.getString("recording_status")),
                        rs.getString("egress_id"),
                        rs.getString("recording_location"),
                        rs.getString("recording_error")),
                rs.getBigDecimal("rate_per_minute"),
                Jdbc.instant(rs, "wait_deadline"),
                rs.getInt("dial_attempts"),
                zones == null || zones.isEmpty() ? List.of() : List.of(zones.split(",")),
                rs.getString("callee_local_time"),
                Jdbc.instant(rs, "schedule_at"),
                Jdbc.instant(rs, "latest_at"));
    }
}
