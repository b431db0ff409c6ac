package dev.dialplane.campaigns;

import static dev.dialplane.common.Jdbc.utc;

import dev.dialplane.calls.CallDialect;
import dev.dialplane.calls.CallPriority;
import dev.dialplane.common.Jdbc;
import dev.dialplane.common.Keyset;
import dev.dialplane.common.PageRequest;
import dev.dialplane.compliance.CallingWindow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Campaign and contact rows. Every statement runs on H2 (PostgreSQL mode) and PostgreSQL. */
@Repository
class CampaignRepository {

    /** Contacts stored per batched statement when a campaign is created. */
    private static final int INSERT_BATCH = 1000;

    /**
     * TalkifAI's contact status, computed from the contact's own status, its last end reason and
     * whether its call reached LiveKit (its room is recorded once the call is dialed). A contact
     * waiting for its retry shows its last outcome (busy, no_answer, timeout).
     */
    static final String TALKIFAI_STATUS = """
            case
              when status = 'calling' then case when last_room_name is null then 'queued' else 'dialing' end
              when status = 'completed' then 'completed'
              when status = 'blocked' then 'blocked'
              when status = 'canceled' then 'cancelled'
              when status = 'pending' and (attempts = 0 or last_end_reason is null) then 'pending'
              when last_end_reason = 'busy' then 'busy'
              when last_end_reason = 'no_answer' then 'no_answer'
              when last_end_reason = 'answer_timeout' then 'timeout'
              when status = 'pending' then 'pending'
              when last_end_reason = 'invalid_number' then 'invalid_number'
              when last_end_reason in ('carrier_error', 'carrier_capacity', 'queue_timeout', 'trunk_auth_failed')
                then 'carrier_error'
              when last_end_reason = 'dnc' then 'blocked'
              else 'failed'
            end""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    CampaignRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** A contact as the driver and the outcome listener need it. */
    record Contact(
            UUID id,
            UUID campaignId,
            UUID organizationId,
            int rowNumber,
            String toNumber,
            @Nullable String fromNumber,
            @Nullable String context,
            ContactStatus status,
            int attempts,
            int placements,
            @Nullable UUID lastCallId) {}

    /** A contact as a listing shows it: what it is, where it stands, what its last attempt did. */
    record ContactRow(
            UUID id,
            int rowNumber,
            String toNumber,
            @Nullable String name,
            @Nullable String variables,
            ContactStatus status,
            String talkifaiStatus,
            int attempts,
            @Nullable String lastEndReason,
            @Nullable String lastError,
            @Nullable Instant lastAttemptAt,
            @Nullable Instant nextAttemptAt,
            @Nullable Instant completedAt,
            @Nullable String lastRoomName,
            @Nullable Integer lastSipCode,
            @Nullable Integer lastCallSeconds) {}

    /** The campaign row without its counts. */
    record Row(
            UUID id,
            UUID organizationId,
            UUID agentId,
            String name,
            CampaignStatus status,
            @Nullable Instant scheduleAt,
            @Nullable Instant startedAt,
            @Nullable Instant completedAt,
            int concurrentCalls,
            boolean retryFailed,
            int retryAttempts,
            @Nullable CallingWindow callingWindow,
            CallPriority priority,
            @Nullable String statusReason,
            Instant createdAt,
            @Nullable String webhookUrl,
            boolean notifyOnCallComplete,
            RetryPolicy retryPolicy,
            CallDialect dialect,
            @Nullable String description,
            @Nullable String timezone) {}

    void insert(UUID id, UUID organizationId, CampaignDraft draft, CampaignStatus status, Instant now) {
        var window = draft.callingWindow();
        jdbc.sql("""
                        insert into campaigns (id, organization_id, agent_id, name, status, schedule_at, started_at,
                            concurrent_calls, retry_failed, retry_attempts, context, window_start, window_end,
                            window_days, priority, webhook_url, notify_on_call_complete, retry_on, retry_delays,
                            created_at, updated_at, dialect, description, timezone)
                        values (:id, :org, :agent, :name, :status, :scheduleAt, :startedAt, :concurrent, :retry,
                            :retryAttempts, :context, :windowStart, :windowEnd, :windowDays, :priority, :webhookUrl,
                            :notify, :retryOn, :retryDelays, :now, :now, :dialect, :description, :timezone)""")
                .param("id", id)
                .param("org", organizationId)
                .param("agent", draft.agentId())
                .param("name", draft.name())
                .param("status", status.toString())
                .param("scheduleAt", utc(draft.scheduleAt()))
                .param("startedAt", status == CampaignStatus.RUNNING ? utc(now) : null)
                .param("concurrent", draft.concurrentCalls())
                .param("retry", draft.retryFailed())
                .param("retryAttempts", draft.retryAttempts())
                .param("context", draft.context())
                .param("windowStart", window == null ? null : window.start().toString())
                .param("windowEnd", window == null ? null : window.end().toString())
                .param("windowDays", window == null ? null : window.daysText())
                .param("priority", draft.priority().toString())
                .param(
                        "webhookUrl",
                        draft.webhook() == null ? null : draft.webhook().url())
                .param("notify", draft.webhook() != null && draft.webhook().notifyOnCallComplete())
                .param("retryOn", draft.retryPolicy().onText())
                .param("retryDelays", draft.retryPolicy().delaysText())
                .param("now", utc(now))
                .param("dialect", draft.dialect().toString())
                .param("description", draft.description())
                .param("timezone", draft.timezone())
                .update();
        var targets = draft.targets();
        var at = utc(now);
        for (int from = 0; from < targets.size(); from += INSERT_BATCH) {
            var chunk = new ArrayList<Object[]>();
            for (int i = from; i < Math.min(targets.size(), from + INSERT_BATCH); i++) {
                var target = targets.get(i);
                chunk.add(new Object[] {
                    UUID.randomUUID(),
                    id,
                    organizationId,
                    i + 1,
                    target.toNumber(),
                    target.fromNumber(),
                    target.context(),
                    target.name(),
                    target.variables(),
                    at
                });
            }
            batch.batchUpdate("""
                    insert into campaign_contacts (id, campaign_id, organization_id, row_number, to_number,
                        from_number, context, name, variables, status, attempts, updated_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)""", chunk);
        }
    }

    /** A contact to insert: its row number in the campaign, its numbers and its context (JSON text). */
    record NewContact(
            int row,
            String toNumber,
            @Nullable String fromNumber,
            @Nullable String context) {}

    /** The campaign's highest row number; 0 when it has no contact. */
    int lastRow(UUID campaignId) {
        return jdbc.sql("select coalesce(max(row_number), 0) from campaign_contacts where campaign_id = :id")
                .param("id", campaignId)
                .query(Integer.class)
                .single();
    }

    /** Of {@code numbers}, those the campaign already has, each with its row number. */
    Map<String, Integer> existingRows(UUID campaignId, Collection<String> numbers) {
        if (numbers.isEmpty()) {
            return Map.of();
        }
        var rows = new HashMap<String, Integer>();
        jdbc.sql(
                        "select to_number, row_number from campaign_contacts where campaign_id = :id and to_number in (:numbers)")
                .param("id", campaignId)
                .param("numbers", List.copyOf(numbers))
                .query((rs, i) -> rows.put(rs.getString("to_number"), rs.getInt("row_number")))
                .list();
        return rows;
    }

    /**
     * Inserts pending contacts in one statement (positional parameters: one statement text per
     * batch size, so a full batch's plan is prepared once); returns how many were inserted.
     */
    int insertContacts(UUID campaignId, UUID organizationId, List<NewContact> contacts, Instant now) {
        if (contacts.isEmpty()) {
            return 0;
        }
        var sql = new StringBuilder("""
                insert into campaign_contacts (id, campaign_id, organization_id, row_number, to_number, from_number,
                    context, status, attempts, updated_at) values """);
        var params = new ArrayList<@Nullable Object>(contacts.size() * 8);
        var at = utc(now);
        var first = true;
        for (var contact : contacts) {
            sql.append(first ? "(?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)" : ", (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)");
            first = false;
            params.add(UUID.randomUUID());
            params.add(campaignId);
            params.add(organizationId);
            params.add(contact.row());
            params.add(contact.toNumber());
            params.add(contact.fromNumber());
            params.add(contact.context());
            params.add(at);
        }
        return jdbc.sql(sql.toString()).params(params).update();
    }

    /** Holds (or, with null, releases) the campaign's completion while targets are appended. */
    void holdIntake(UUID id, @Nullable Instant until) {
        jdbc.sql("update campaigns set intake_until = :until where id = :id")
                .param("id", id)
                .param("until", utc(until))
                .update();
    }

    /** The campaign's own context (JSON object text), merged under each target's. */
    @Nullable String context(UUID id) {
        return jdbc.sql("select context from campaigns where id = :id")
                .param("id", id)
                .query((rs, i) -> rs.getString("context"))
                .optional()
                .orElse(null);
    }

    /**
     * A page of the campaign's contacts in row order after {@code afterRow}, {@code limit + 1} of
     * them (the extra one tells whether another page exists), optionally of some statuses only.
     */
    List<CampaignContact> contacts(UUID campaignId, long afterRow, List<ContactStatus> statuses, int limit) {
        var filter = statuses.isEmpty() ? "" : " and status in (:statuses)";
        return jdbc.sql("select * from campaign_contacts where campaign_id = :id and row_number > :after" + filter
                        + " order by row_number limit :limit")
                .param("id", campaignId)
                .param("after", afterRow)
                .param(
                        "statuses",
                        statuses.stream().map(ContactStatus::toString).toList())
                .param("limit", limit + 1)
                .query(CampaignRepository::view)
                .list();
    }

    /**
     * A stretch of the campaign's results in row order after {@code afterRow}: each contact with its
     * last call's duration, cost and the disposition its agent reported (the calls and their
     * outcomes are joined here, read only, so a million rows are not a million look-ups).
     */
    List<CampaignResult> results(UUID campaignId, long afterRow, int limit) {
        return jdbc.sql("""
                        select c.*, k.answered_at, k.ended_at, k.cost, o.disposition
                        from campaign_contacts c
                        left join calls k on k.id = c.last_call_id
                        left join call_outcomes o on o.call_id = c.last_call_id
                        where c.campaign_id = :id and c.row_number > :after
                        order by c.row_number limit :limit""")
                .param("id", campaignId)
                .param("after", afterRow)
                .param("limit", limit)
                .query((rs, i) -> {
                    var duration = dev.dialplane.calls.Call.durationSeconds(
                            Jdbc.instant(rs, "answered_at"), Jdbc.instant(rs, "ended_at"));
                    return new CampaignResult(
                            view(rs, i), duration, rs.getBigDecimal("cost"), rs.getString("disposition"));
                })
                .list();
    }

    /**
     * A campaign's new start (its status is changed by {@link CampaignTransitions}); {@code timezone}
     * null keeps the zone it has.
     */
    void setSchedule(UUID id, Instant scheduleAt, @Nullable String timezone, Instant now) {
        jdbc.sql("""
                        update campaigns set schedule_at = :scheduleAt, timezone = coalesce(:timezone, timezone),
                            updated_at = :now
                        where id = :id""")
                .param("id", id)
                .param("scheduleAt", utc(scheduleAt))
                .param("timezone", timezone)
                .param("now", utc(now))
                .update();
    }

    /** A page of the organization's campaigns, newest first, optionally of some statuses only. */
    List<Row> pageByStatus(UUID organizationId, List<CampaignStatus> statuses, long offset, int limit) {
        return jdbc.sql("select * from campaigns where organization_id = :org" + statusFilter(statuses)
                        + " order by created_at desc, id desc offset :offset rows fetch next :limit rows only")
                .param("org", organizationId)
                .param(
                        "statuses",
                        statuses.stream().map(CampaignStatus::toString).toList())
                .param("offset", offset)
                .param("limit", limit)
                .query(CampaignRepository::row)
                .list();
    }

    long countByStatus(UUID organizationId, List<CampaignStatus> statuses) {
        return jdbc.sql("select count(*) from campaigns where organization_id = :org" + statusFilter(statuses))
                .param("org", organizationId)
                .param(
                        "statuses",
                        statuses.stream().map(CampaignStatus::toString).toList())
                .query(Long.class)
                .single();
    }

    private static String statusFilter(List<CampaignStatus> statuses) {
        return statuses.isEmpty() ? "" : " and status in (:statuses)";
    }

    /** A page of the campaign's contacts in row order, optionally only those of one TalkifAI status. */
    List<ContactRow> contactPage(UUID campaignId, @Nullable String talkifaiStatus, long offset, int limit) {
        return jdbc.sql("select c.*, " + TALKIFAI_STATUS + " as talkifai_status from campaign_contacts c"
                        + " where campaign_id = :id"
                        + (talkifaiStatus == null ? "" : " and " + TALKIFAI_STATUS + " = :wanted")
                        + " order by row_number offset :offset rows fetch next :limit rows only")
                .param("id", campaignId)
                .param("wanted", talkifaiStatus)
                .param("offset", offset)
                .param("limit", limit)
                .query(CampaignRepository::contactRow)
                .list();
    }

    long countContacts(UUID campaignId, @Nullable String talkifaiStatus) {
        return jdbc.sql("select count(*) from campaign_contacts where campaign_id = :id"
                        + (talkifaiStatus == null ? "" : " and " + TALKIFAI_STATUS + " = :wanted"))
                .param("id", campaignId)
                .param("wanted", talkifaiStatus)
                .query(Long.class)
                .single();
    }

    /** How many of the campaign's contacts are in each TalkifAI status (statuses with none absent). */
    Map<String, Long> talkifaiCounts(UUID campaignId) {
        var counts = new LinkedHashMap<String, Long>();
        jdbc.sql("select s, count(*) as n from (select " + TALKIFAI_STATUS
                        + " as s from campaign_contacts where campaign_id = :id) t group by s")
                .param("id", campaignId)
                .query((rs, i) -> counts.put(rs.getString("s"), rs.getLong("n")))
                .list();
        return counts;
    }

    /** The dialed call's room, once it reached LiveKit: its contact is then dialing, no longer queued. */
    void dialing(UUID callId, String roomName) {
        jdbc.sql("""
                        update campaign_contacts set last_room_name = :room
                        where last_call_id = :call and status = 'calling'""").param("call", callId).param("room", roomName).update();
    }

    /** What the contact's ended call showed: its room (when dialed), SIP code and answered seconds. */
    void callFacts(
            UUID contactId, UUID callId, @Nullable String roomName, @Nullable Integer sipCode, @Nullable Long seconds) {
        jdbc.sql("""
                        update campaign_contacts set last_room_name = coalesce(:room, last_room_name),
                            last_sip_code = :sip, last_call_seconds = :seconds
                        where id = :id and last_call_id = :call""")
                .param("id", contactId)
                .param("call", callId)
                .param("room", roomName)
                .param("sip", sipCode)
                .param("seconds", seconds == null ? null : (int) Math.min(Integer.MAX_VALUE, seconds))
                .update();
    }

    Optional<Row> find(UUID organizationId, UUID id) {
        return jdbc.sql("select * from campaigns where id = :id and organization_id = :org")
                .param("id", id)
                .param("org", organizationId)
                .query(CampaignRepository::row)
                .optional();
    }

    /** The campaign's row, locked until the transaction ends. */
    Optional<Row> lock(UUID organizationId, UUID id) {
        return jdbc.sql("select * from campaigns where id = :id and organization_id = :org for update")
                .param("id", id)
                .param("org", organizationId)
                .query(CampaignRepository::row)
                .optional();
    }

    /** The campaign's row locked for this node's pass, or empty when another node holds it. */
    Optional<Row> lockForDriving(UUID id) {
        return jdbc.sql("select * from campaigns where id = :id for update skip locked")
                .param("id", id)
                .query(CampaignRepository::row)
                .optional();
    }

    List<Row> page(UUID organizationId, PageRequest page) {
        return Keyset.bind(
                        jdbc.sql("select * from campaigns where organization_id = :org and " + Keyset.AFTER_CURSOR + " "
                                + Keyset.ORDER_AND_LIMIT),
                        page)
                .param("org", organizationId)
                .query(CampaignRepository::row)
                .list();
    }

    /** Campaigns that may have calls to place: running, or scheduled and due. */
    List<UUID> drivable(Instant now) {
        return jdbc.sql("""
                        select id from campaigns
                        where status = 'running' or (status = 'scheduled' and (schedule_at is null or schedule_at <= :now))""").param("now", utc(now)).query(UUID.class).list();
    }

    Map<ContactStatus, Long> counts(UUID campaignId) {
        var counts = new EnumMap<ContactStatus, Long>(ContactStatus.class);
        for (var status : ContactStatus.values()) {
            counts.put(status, 0L);
        }
        jdbc.sql("select status, count(*) as n from campaign_contacts where campaign_id = :id group by status")
                .param("id", campaignId)
                .query((rs, i) -> counts.put(ContactStatus.fromDatabase(rs.getString("status")), rs.getLong("n")))
                .list();
        return counts;
    }

    long callsInitiated(UUID campaignId) {
        return jdbc.sql("select count(*) from campaign_contacts where campaign_id = :id and last_call_id is not null")
                .param("id", campaignId)
                .query(Long.class)
                .single();
    }

    void setStatus(UUID id, CampaignStatus status, @Nullable String reason, Instant now) {
        jdbc.sql("""
                        update campaigns set status = :status, status_reason = :reason, updated_at = :now,
                            started_at = case when :status = 'running' and started_at is null then :now else started_at end,
                            completed_at = case when :status in ('completed', 'canceled') then :now else completed_at end
                        where id = :id""")
                .param("id", id)
                .param("status", status.toString())
                .param("reason", fitting(reason))
                .param("now", utc(now))
                .update();
    }

    /**
     * Whether the campaign has nothing left to call: no contact pending or calling, and no targets
     * being appended (its intake lease). Ask it holding the campaign's row lock.
     */
    boolean nothingLeftToCall(UUID id, Instant now) {
        return jdbc.sql("""
                        select count(*) from campaigns
                        where id = :id and (intake_until is null or intake_until < :now)
                          and not exists (select 1 from campaign_contacts
                                          where campaign_id = :id and status in ('pending', 'calling'))""")
                        .param("id", id)
                        .param("now", utc(now))
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** The campaign's contacts whose latest attempt started at or after {@code since}. */
    long attemptsSince(UUID campaignId, Instant since) {
        return jdbc.sql("select count(*) from campaign_contacts where campaign_id = :id and last_attempt_at >= :since")
                .param("id", campaignId)
                .param("since", utc(since))
                .query(Long.class)
                .single();
    }

    int countCalling(UUID campaignId) {
        return jdbc.sql("select count(*) from campaign_contacts where campaign_id = :id and status = 'calling'")
                .param("id", campaignId)
                .query(Integer.class)
                .single();
    }

    /** Pending contacts whose next attempt is due, in row order. */
    List<Contact> due(UUID campaignId, Instant now, int limit) {
        return jdbc.sql("""
                        select * from campaign_contacts
                        where campaign_id = :id and status = 'pending'
                          and (next_attempt_at is null or next_attempt_at <= :now)
                        order by row_number limit :limit""")
                .param("id", campaignId)
                .param("now", utc(now))
                .param("limit", limit)
                .query(CampaignRepository::contact)
                .list();
    }

    /** Contacts marked calling whose placement never stored a call id: their node died placing them. */
    List<Contact> stranded(UUID campaignId, Instant before) {
        return jdbc.sql("""
                        select * from campaign_contacts
                        where campaign_id = :id and status = 'calling' and last_call_id is null and updated_at < :before
                        order by row_number""")
                .param("id", campaignId)
                .param("before", utc(before))
                .query(CampaignRepository::contact)
                .list();
    }

    /** Contacts calling with a call placed: the campaign's calls that may not have started yet. */
    List<Contact> callingWithCall(UUID campaignId) {
        return jdbc.sql("""
                        select * from campaign_contacts
                        where campaign_id = :id and status = 'calling' and last_call_id is not null""")
                .param("id", campaignId)
                .query(CampaignRepository::contact)
                .list();
    }

    void markCalling(UUID contactId, Instant now) {
        jdbc.sql("""
                        update campaign_contacts set status = 'calling', attempts = attempts + 1, placements = placements + 1,
                            last_call_id = null, next_attempt_at = null, updated_at = :now, last_attempt_at = :now,
                            last_room_name = null, last_sip_code = null, last_call_seconds = null
                        where id = :id""").param("id", contactId).param("now", utc(now)).update();
    }

    /** Marks a stranded contact as taken by this node (its attempt stays the same). */
    void touch(UUID contactId, Instant now) {
        jdbc.sql("update campaign_contacts set updated_at = :now where id = :id")
                .param("id", contactId)
                .param("now", utc(now))
                .update();
    }

    void deferPending(UUID contactId, Instant until, Instant now) {
        jdbc.sql("update campaign_contacts set next_attempt_at = :until, updated_at = :now where id = :id")
                .param("id", contactId)
                .param("until", utc(until))
                .param("now", utc(now))
                .update();
    }

    void setCall(UUID contactId, UUID callId, Instant now) {
        jdbc.sql("""
                        update campaign_contacts set last_call_id = :call, updated_at = :now
                        where id = :id and status = 'calling'""")
                .param("id", contactId)
                .param("call", callId)
                .param("now", utc(now))
                .update();
    }

    /**
     * Ends a contact's current attempt: from {@code calling} (and, when {@code callId} is given,
     * only for that call) to {@code status}. {@code undoAttempt}: no call was stored for it.
     * True when the contact was in that state.
     */
    boolean finish(
            UUID contactId,
            @Nullable UUID callId,
            ContactStatus status,
            @Nullable Instant nextAttemptAt,
            @Nullable String endReason,
            @Nullable String error,
            boolean undoAttempt,
            Instant now) {
        return jdbc.sql("""
                                update campaign_contacts set status = :status, next_attempt_at = :next,
                                    last_end_reason = coalesce(:reason, last_end_reason), last_error = :error,
                                    attempts = attempts - :undo, updated_at = :now,
                                    completed_at = case when :status in ('pending', 'calling') then null else :now end
                                where id = :id and status = 'calling'""" + (callId == null ? "" : " and last_call_id = :call"))
                        .param("id", contactId)
                        .param("call", callId)
                        .param("status", status.toString())
                        .param("next", utc(nextAttemptAt))
                        .param("reason", endReason)
                        .param("error", fitting(error))
                        .param("undo", undoAttempt ? 1 : 0)
                        .param("now", utc(now))
                        .update()
                > 0;
    }

    /** A pending contact that can never be called (e.g. no hour inside the campaign's window): failed, no attempt made. */
    void failPending(UUID contactId, String error, Instant now) {
        jdbc.sql("""
                        update campaign_contacts set status = 'failed', last_error = :error, next_attempt_at = null,
                            updated_at = :now
                        where id = :id and status = 'pending'""")
                .param("id", contactId)
                .param("error", fitting(error))
                .param("now", utc(now))
                .update();
    }

    /** A completed contact whose last call turned out to reach voicemail goes back to pending for its retry. */
    boolean reopen(UUID contactId, UUID callId, Instant nextAttemptAt, Instant now) {
        return jdbc.sql("""
                                update campaign_contacts set status = 'pending', next_attempt_at = :next,
                                    last_end_reason = 'machine_voicemail', updated_at = :now
                                where id = :id and status = 'completed' and last_call_id = :call""")
                        .param("id", contactId)
                        .param("call", callId)
                        .param("next", utc(nextAttemptAt))
                        .param("now", utc(now))
                        .update()
                > 0;
    }

    int cancelPending(UUID campaignId, Instant now) {
        return jdbc.sql("""
                        update campaign_contacts set status = 'canceled', updated_at = :now, completed_at = :now
                        where campaign_id = :id and status = 'pending'""").param("id", campaignId).param("now", utc(now)).update();
    }

    /** Contacts of any campaign calling, with a call, unchanged since {@code before}. */
    List<Contact> callingSince(Instant before) {
        return jdbc.sql("""
                        select * from campaign_contacts
                        where status = 'calling' and last_call_id is not null and updated_at < :before
                        limit 500""")
                .param("before", utc(before))
                .query(CampaignRepository::contact)
                .list();
    }

    Optional<Contact> byCall(UUID callId) {
        return jdbc.sql("select * from campaign_contacts where last_call_id = :call")
                .param("call", callId)
                .query(CampaignRepository::contact)
                .optional();
    }

    /** The campaign whose contact's latest call this is. */
    Optional<UUID> campaignOfCall(UUID callId) {
        return jdbc.sql("select campaign_id from campaign_contacts where last_call_id = :call")
                .param("call", callId)
                .query(UUID.class)
                .optional();
    }

    /** The campaign's row locked until the transaction ends, whatever its organization. */
    Optional<Row> lockById(UUID id) {
        return jdbc.sql("select * from campaigns where id = :id for update")
                .param("id", id)
                .query(CampaignRepository::row)
                .optional();
    }

    /** The next event number of a campaign whose row this transaction has locked. */
    int nextEventSequence(UUID campaignId) {
        return jdbc.sql("select coalesce(max(sequence), 0) + 1 from campaign_events where campaign_id = :id")
                .param("id", campaignId)
                .query(Integer.class)
                .single();
    }

    void insertEvent(CampaignEvent event, UUID organizationId) {
        jdbc.sql("""
                        insert into campaign_events (id, campaign_id, organization_id, sequence, type, from_status, to_status,
                            reason, actor, occurred_at)
                        values (:id, :campaign, :org, :sequence, :type, :from, :to, :reason, :actor, :at)""")
                .param("id", event.id())
                .param("campaign", event.campaignId())
                .param("org", organizationId)
                .param("sequence", event.sequence())
                .param("type", event.type().toString())
                .param(
                        "from",
                        event.fromStatus() == null ? null : event.fromStatus().toString())
                .param("to", event.toStatus().toString())
                .param("reason", event.reason())
                .param("actor", event.actor().toString())
                .param("at", utc(event.occurredAt()))
                .update();
    }

    /** The campaign's events in sequence order. */
    List<CampaignEvent> events(UUID campaignId) {
        return jdbc.sql("select * from campaign_events where campaign_id = :id order by sequence")
                .param("id", campaignId)
                .query((rs, i) -> {
                    var from = rs.getString("from_status");
                    return new CampaignEvent(
                            Jdbc.requiredUuid(rs, "id"),
                            Jdbc.requiredUuid(rs, "campaign_id"),
                            rs.getInt("sequence"),
                            CampaignEventType.fromDatabase(rs.getString("type")),
                            from == null ? null : CampaignStatus.fromDatabase(from),
                            CampaignStatus.fromDatabase(rs.getString("to_status")),
                            rs.getString("reason"),
                            CampaignActor.fromDatabase(rs.getString("actor")),
                            Jdbc.requiredInstant(rs, "occurred_at"));
                })
                .list();
    }

    /** The campaign as it now stands, its counts computed from its contacts. */
    Campaign withCounts(Row row) {
        return new Campaign(
                row.id(),
                row.organizationId(),
                row.agentId(),
                row.name(),
                row.status(),
                row.scheduleAt(),
                row.startedAt(),
                row.completedAt(),
                row.concurrentCalls(),
                row.retryFailed(),
                row.retryAttempts(),
                row.callingWindow(),
                row.priority(),
                row.statusReason(),
                row.createdAt(),
                counts(row.id()),
                callsInitiated(row.id()),
                row.webhookUrl(),
                row.notifyOnCallComplete(),
                row.retryPolicy(),
                row.dialect(),
                row.description(),
                row.timezone());
    }

    Optional<Row> byId(UUID id) {
        return jdbc.sql("select * from campaigns where id = :id")
                .param("id", id)
                .query(CampaignRepository::row)
                .optional();
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        return new Row(
                Jdbc.requiredUuid(rs, "id"),
                Jdbc.requiredUuid(rs, "organization_id"),
                Jdbc.requiredUuid(rs, "agent_id"),
                rs.getString("name"),
                CampaignStatus.fromDatabase(rs.getString("status")),
                Jdbc.instant(rs, "schedule_at"),
                Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "completed_at"),
                rs.getInt("concurrent_calls"),
                rs.getBoolean("retry_failed"),
                rs.getInt("retry_attempts"),
                window(rs),
                CallPriority.parse(rs.getString("priority")),
                rs.getString("status_reason"),
                Jdbc.requiredInstant(rs, "created_at"),
                rs.getString("webhook_url"),
                rs.getBoolean("notify_on_call_complete"),
                RetryPolicy.fromDatabase(rs.getString("retry_on"), rs.getString("retry_delays")),
                CallDialect.fromDatabase(rs.getString("dialect")),
                rs.getString("description"),
                rs.getString("timezone"));
    }

    private static ContactRow contactRow(ResultSet rs, int i) throws SQLException {
        return new ContactRow(
                Jdbc.requiredUuid(rs, "id"),
                rs.getInt("row_number"),
                rs.getString("to_number"),
                rs.getString("name"),
                rs.getString("variables"),
                ContactStatus.fromDatabase(rs.getString("status")),
                rs.getString("talkifai_status"),
                rs.getInt("attempts"),
                rs.getString("last_end_reason"),
                rs.getString("last_error"),
                Jdbc.instant(rs, "last_attempt_at"),
                Jdbc.instant(rs, "next_attempt_at"),
                Jdbc.instant(rs, "completed_at"),
                rs.getString("last_room_name"),
                (Integer) rs.getObject("last_sip_code", Integer.class),
                (Integer) rs.getObject("last_call_seconds", Integer.class));
    }

    private static @Nullable CallingWindow window(ResultSet rs) throws SQLException {
        var start = rs.getString("window_start");
        var end = rs.getString("window_end");
        var days = rs.getString("window_days");
        if (start == null || end == null || days == null) {
            return null;
        }
        return new CallingWindow(LocalTime.parse(start), LocalTime.parse(end), CallingWindow.daysFromText(days));
    }

    private static CampaignContact view(ResultSet rs, int i) throws SQLException {
        return new CampaignContact(
                Jdbc.requiredUuid(rs, "id"),
                rs.getInt("row_number"),
                rs.getString("to_number"),
                rs.getString("from_number"),
                rs.getString("context"),
                ContactStatus.fromDatabase(rs.getString("status")),
                rs.getInt("attempts"),
                Jdbc.uuid(rs, "last_call_id"),
                rs.getString("last_end_reason"),
                rs.getString("last_error"),
                Jdbc.instant(rs, "next_attempt_at"),
                Jdbc.requiredInstant(rs, "updated_at"));
    }

    private static Contact contact(ResultSet rs, int i) throws SQLException {
        return new Contact(
                Jdbc.requiredUuid(rs, "id"),
                Jdbc.requiredUuid(rs, "campaign_id"),
                Jdbc.requiredUuid(rs, "organization_id"),
                rs.getInt("row_number"),
                rs.getString("to_number"),
                rs.getString("from_number"),
                rs.getString("context"),
                ContactStatus.fromDatabase(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getInt("placements"),
                Jdbc.uuid(rs, "last_call_id"));
    }

    /** Text stored in a varchar(1000) column: a longer message is cut, never a failed write. */
    static @Nullable String fitting(@Nullable String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 999) + "…";
    }
}
