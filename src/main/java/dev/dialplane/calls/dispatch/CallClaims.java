package dev.dialplane.calls.dispatch;

import dev.dialplane.calls.Call;
import dev.dialplane.calls.CallLifecycle;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.EndReason;
import dev.dialplane.calls.Transition;
import dev.dialplane.common.Jdbc;
import dev.dialplane.compliance.CalleeTimeZones;
import dev.dialplane.compliance.CallingWindow;
import dev.dialplane.compliance.CallingWindows;
import dev.dialplane.compliance.CompliancePolicyService;
import dev.dialplane.compliance.DoNotCallList;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims queued calls for dialing, one trunk per transaction. The trunk's pacing row is locked
 * first, so every node's claims on a trunk serialize and its limits hold for the cluster:
 * {@code max_channels} (live calls), {@code cps_limit} (dial starts, via {@link Pacer}), and each
 * organization's {@code max_concurrent_calls}. Candidates are locked with
 * {@code FOR UPDATE SKIP LOCKED} and moved to {@code dialing} by a checked transition, with this
 * node's name and a lease: a call is claimed by one node only, and only once.
 *
 * <p>Order: organizations sharing a trunk take turns (least recently served first); within an
 * organization, higher priority first, then first in first out.
 */
@Component
class CallClaims {

    static final int ORGANIZATIONS_PER_PASS = 100;

    private final JdbcClient jdbc;
    private final CallLifecycle lifecycle;
    private final TransactionTemplate transactions;
    private final TransactionTemplate savepoints;
    private final DispatchProperties properties;
    private final CompliancePolicyService policies;
    private final DoNotCallList doNotCall;
    private final Clock clock;
    private final Timer claimTimer;

    CallClaims(
            JdbcClient jdbc,
            CallLifecycle lifecycle,
            TransactionTemplate transactions,
            PlatformTransactionManager transactionManager,
            DispatchProperties properties,
            CompliancePolicyService policies,
            DoNotCallList doNotCall,
            Clock clock,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.policies = policies;
        this.doNotCall = doNotCall;
        this.lifecycle = lifecycle;
        this.transactions = transactions;
        this.savepoints = new TransactionTemplate(transactionManager);
        this.savepoints.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.properties = properties;
        this.clock = clock;
        this.claimTimer = Timer.builder("dialplane.dispatch.claim")
                .description("One claim transaction on one trunk")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    /**
     * The outcome of one claim pass on a trunk.
     *
     * @param claimed calls now dialing under this node's claim
     * @param wakeAt when this trunk may have a claimable call again, if that is known (next pacing
     *     slot, end of a pause); null when only a finished call or a new one can make room
     * @param notBefore when no call on this trunk can be claimed before this, whatever is queued or
     *     placed meanwhile (its pace, a pause): a claim made sooner would only find that out again
     *     under the trunk's lock; null when a new call could be claimed at once
     */
    record Result(
            List<Call> claimed,
            @Nullable Instant wakeAt,
            boolean exhausted,
            @Nullable Instant notBefore) {

        static Result none(@Nullable Instant wakeAt) {
            return new Result(List.of(), wakeAt, true, null);
        }

        static Result paced(Instant notBefore) {
            return new Result(List.of(), notBefore, true, notBefore);
        }
    }

    Result claim(UUID trunkId, String node, int wanted) {
        var result = claimTimer.record(() -> transactions.execute(status -> claimInTransaction(trunkId, node, wanted)));
        return result == null ? Result.none(null) : result;
    }

    private Result claimInTransaction(UUID trunkId, String node, int wanted) {
        var pacing = lockPacing(trunkId, clock.instant());
        // read after the lock: claims on a trunk are then ordered in time across every node, and
        // the pacing decision is made at the moment the claim happens
        var now = clock.instant();
        var trunk = limits(trunkId);
        if (trunk.isEmpty()) {
            failOrphans(trunkId);
            return Result.none(null);
        }
        if (pacing.pausedUntil() != null && pacing.pausedUntil().isAfter(now)) {
            return Result.paced(pacing.pausedUntil());
        }
        var room = wanted;
        if (trunk.get().maxChannels() != null) {
            room = Math.min(room, trunk.get().maxChannels() - countLive("sip_trunk_id", trunkId));
        }
        if (room <= 0) {
            return Result.none(null);
        }
        var grant = Pacer.grant(
                trunk.get().cpsLimit(),
                pacing.rateFactor(),
                Pacer.claimCursor(pacing.nextSlotAt(), nextSendAt(trunkId)),
                now,
                room,
                properties.pacingTolerance(),
                properties.prepareAhead());
        if (grant.slots().isEmpty()) {
            return Result.paced(claimableAt(Objects.requireNonNull(grant.nextSlotAt(), "a paced grant")));
        }
        var claimed = new ArrayList<Call>();
        var served = new LinkedHashMap<UUID, Instant>();
        var windows = new HashMap<UUID, Optional<CallingWindow>>();
        Instant windowOpens = null;
        var candidates = candidates(trunkId, now, grant.slots().size());
        for (var id : candidates) {
            var call = lifecycle.get(id);
            if (call.waitDeadline() != null && !call.waitDeadline().isAfter(now)) {
                lifecycle.expireUndialed(id, "its caller stopped waiting before a line was free");
                continue;
            }
            if (call.latestAt() != null && !call.latestAt().isAfter(now)) {
                lifecycle.expireSchedule(id, call.latestAt());
                continue;
            }
            // the window may have closed while the call waited: it then waits for the next one, undialed
            var window = windows.computeIfAbsent(
                    call.organizationId(),
                    organization ->
                            Optional.ofNullable(policies.policy(organization).callingWindow()));
            var verdict = CallingWindows.check(window.orElse(null), zones(call), now);
            if (!verdict.allowed()) {
                var recheck = verdict.recheckAt(now);
                holdForWindow(id, recheck, verdict.nextAllowedAt() != null);
                windowOpens = windowOpens == null || recheck.isBefore(windowOpens) ? recheck : windowOpens;
                continue;
            }
            // the number may have been put on the do-not-call list while the call waited
            if (doNotCall.blocks(call.organizationId(), call.toNumber())) {
                cancelForDnc(id);
                continue;
            }
            var dialing =
                    lifecycle.transition(id, Transition.to(CallStatus.DIALING, "dispatched to LiveKit by " + node));
            if (dialing.isPresent()) {
                holdClaim(id, node, now);
                recordLocalTime(call, now);
                claimed.add(dialing.get());
                served.put(call.organizationId(), now);
            }
        }
        // slots not used (fewer calls were due) stay available
        var nextSlot = claimed.size() < grant.slots().size() && trunk.get().cpsLimit() != null
                ? grant.slots().get(claimed.size())
                : grant.nextSlotAt();
        if (trunk.get().cpsLimit() != null) {
            jdbc.sql("update trunk_pacing set next_slot_at = :next, updated_at = :now where trunk_id = :trunk")
                    .param("next", Jdbc.utc(nextSlot))
                    .param("now", Jdbc.utc(now))
                    .param("trunk", trunkId)
                    .update();
        }
        served.forEach((organization, at) -> recordTurn(trunkId, organization, at));
        if (claimed.size() == grant.slots().size()) {
            // every slot taken: the next claim waits for the pace, however many calls are queued
            var paced = trunk.get().cpsLimit() == null || nextSlot == null ? null : claimableAt(nextSlot);
            var wakeAt = windowOpens != null && (paced == null || windowOpens.isBefore(paced)) ? windowOpens : paced;
            return new Result(
                    claimed, wakeAt, claimed.size() < wanted, paced != null && paced.isAfter(now) ? paced : null);
        }
        // slots left over: candidates skipped (held for their window, expired, listed) leave the next
        // pass more to look at at once; too few candidates mean nothing else is due until a call is
        // placed or ends, or a held one's window opens, and the loop's poll interval covers the rest
        var moreDue = candidates.size() == grant.slots().size();
        return new Result(claimed, windowOpens, !moreDue, null);
    }

    /** When the call for a claim slot is claimed: that far ahead of it, so it is prepared by then. */
    private Instant claimableAt(Instant slot) {
        return slot.minus(properties.prepareAhead());
    }

    private void cancelForDnc(UUID callId) {
        lifecycle.transition(
                callId,
                Transition.ended(
                        CallStatus.CANCELED,
                        EndReason.DNC,
                        "not dialed: the number is on the organization's do-not-call list"));
    }

    /** The zones stored with the call; derived from its number for a call stored before they were. */
    private static java.util.List<java.time.ZoneId> zones(Call call) {
        return call.calleeTimezones().isEmpty()
                ? CalleeTimeZones.of(call.toNumber())
                : call.calleeTimezones().stream().map(java.time.ZoneId::of).toList();
    }

    /**
     * Keeps a call queued until its callee's window opens: not a candidate before then, so no pass
     * looks at it in between, and its queue time counts from then.
     */
    private void holdForWindow(UUID callId, Instant recheck, boolean windowOpensThen) {
        // a call with no opening in sight (no zone known, zones that never overlap) is only looked at
        // again later: its queue time still counts, so it is canceled rather than held forever
        jdbc.sql("update calls set not_before = :recheck"
                        + (windowOpensThen ? ", window_deferred_until = :recheck" : "")
                        + " where id = :id")
                .param("recheck", Jdbc.utc(recheck))
                .param("id", callId)
                .update();
    }

    private void recordLocalTime(Call call, Instant now) {
        var local = CallingWindows.localTime(zones(call), now);
        if (local != null) {
            lifecycle.recordCalleeLocalTime(call.id(), local);
        }
    }

    /** Whether the callee's window lets the call be dialed now (its organization's current policy). */
    private boolean withinWindow(Call call, Instant now) {
        return CallingWindows.check(policies.policy(call.organizationId()).callingWindow(), zones(call), now)
                .allowed();
    }

    /**
     * Claims a new call without taking its trunk's lock when nothing can hold it back: the trunk has
     * neither {@code cps_limit} nor {@code max_channels} and is not paused, and the organization has
     * no {@code max_concurrent_calls}. Nothing waits on such a trunk, so order has no meaning there,
     * and serializing every new call on the trunk's row would cap it at one claim at a time. Empty
     * when a limit applies (the caller then takes the locked path) or the call is no longer queued.
     * Joins the caller's transaction (the one that stored the call).
     */
    Optional<Call> claimUnlimited(Call call, String node) {
        var now = clock.instant();
        var unlimited = jdbc.sql("""
                        select count(*) from sip_trunks t
                        join organizations o on o.id = :org
                        left join trunk_pacing p on p.trunk_id = t.id
                        where t.id = :trunk and t.cps_limit is null and t.max_channels is null
                          and o.max_concurrent_calls is null and (p.paused_until is null or p.paused_until <= :now)""")
                        .param("org", call.organizationId())
                        .param("trunk", call.sipTrunkId())
                        .param("now", Jdbc.utc(now))
                        .query(Integer.class)
                        .single()
                == 1;
        if (!unlimited || !withinWindow(call, now) || doNotCall.blocks(call.organizationId(), call.toNumber())) {
            // outside the window (it closed since the call was checked), or listed meanwhile: the
            // locked path holds or cancels it
            return Optional.empty();
        }
        var claimed = claimTimer.record(() -> transactions.execute(status -> {
            var dialing = lifecycle.transition(
                    call.id(), Transition.to(CallStatus.DIALING, "dispatched to LiveKit by " + node));
            dialing.ifPresent(it -> {
                holdClaim(it.id(), node, now);
                recordLocalTime(call, now);
            });
            return dialing;
        }));
        return claimed == null ? Optional.empty() : claimed;
    }

    private void holdClaim(UUID callId, String node, Instant now) {
        jdbc.sql("update calls set claimed_by = :node, lease_until = :lease where id = :id")
                .param("node", node)
                .param("lease", Jdbc.utc(now.plus(properties.lease())))
                .param("id", callId)
                .update();
    }

    /**
     * Up to {@code wanted} due calls, organizations taking turns: the least recently served goes
     * first, and each gets one call per round, its highest priority and oldest first.
     */
    private List<UUID> candidates(UUID trunkId, Instant now, int wanted) {
        var organizations = queuedOrganizations(trunkId);
        var turns = lastTurns(trunkId);
        organizations.sort(Comparator.comparing((UUID organization) -> turns.getOrDefault(organization, Instant.EPOCH))
                .thenComparing(UUID::toString));
        var perOrganization = new ArrayList<List<UUID>>();
        for (var organization : organizations) {
            var cap = organizationRoom(organization);
            if (cap <= 0) {
                continue;
            }
            perOrganization.add(jdbc.sql("""
                            select id from calls
                            where sip_trunk_id = :trunk and status = 'queued' and organization_id = :org
                              and (not_before is null or not_before <= :now)
                            order by priority_rank desc, created_at, id
                            limit :limit
                            for update skip locked""")
                    .param("trunk", trunkId)
                    .param("org", organization)
                    .param("now", Jdbc.utc(now))
                    .param("limit", Math.min(wanted, cap))
                    .query(UUID.class)
                    .list());
        }
        var picked = new ArrayList<UUID>(wanted);
        for (int round = 0; picked.size() < wanted; round++) {
            var any = false;
            for (var queue : perOrganization) {
                if (round < queue.size() && picked.size() < wanted) {
                    picked.add(queue.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return picked;
    }

    /** Organizations with queued calls on the trunk, found by index seeks however long the queue. */
    private List<UUID> queuedOrganizations(UUID trunkId) {
        return distinctQueued(jdbc, "organization_id", trunkId, ORGANIZATIONS_PER_PASS);
    }

    /** Trunks that have queued calls, by index seeks. */
    List<UUID> trunksWithQueuedCalls() {
        return distinctQueued(jdbc, "sip_trunk_id", null, Integer.MAX_VALUE);
    }

    /**
     * The distinct values of {@code column} among queued calls (of one trunk, when given), in order,
     * one index seek each: a loose index scan, so the cost follows the number of values, not of calls.
     */
    static List<UUID> distinctQueued(JdbcClient jdbc, String column, @Nullable UUID trunkId, int most) {
        var scope = "status = 'queued'" + (trunkId == null ? "" : " and sip_trunk_id = :trunk");
        var found = new ArrayList<UUID>();
        UUID after = null;
        while (found.size() < most) {
            // two statements, not one with "(:first or column > :after)": in a generic plan that
            // condition is a filter, and the seek past the first value read every call it has
            var next = jdbc.sql("select " + column + " from calls where " + scope
                            + (after == null ? "" : " and " + column + " > :after")
                            + " order by " + column + " limit 1")
                    .param("trunk", trunkId)
                    .param("after", after)
                    .query(UUID.class)
                    .optional();
            if (next.isEmpty()) {
                break;
            }
            found.add(next.get());
            after = next.get();
        }
        return found;
    }

    private int organizationRoom(UUID organizationId) {
        // an absent organization or no cap is the same here: nothing but the trunk limits the call
        var max = jdbc.sql("select coalesce(max_concurrent_calls, -1) from organizations where id = :id")
                .param("id", organizationId)
                .query(Integer.class)
                .optional()
                .orElse(-1);
        return max < 0 ? Integer.MAX_VALUE : max - countLive("organization_id", organizationId);
    }

    private int countLive(String column, UUID id) {
        return countLive(jdbc, column, id);
    }

    /** The live calls (dialing, ringing, answered) of a trunk or organization ({@code column} names which). */
    static int countLive(JdbcClient jdbc, String column, UUID id) {
        return jdbc.sql("select count(*) from calls where " + column
                        + " = :id and status in ('dialing', 'ringing', 'in_progress')")
                .param("id", id)
                .query(Integer.class)
                .single();
    }

    record Limits(@Nullable Integer cpsLimit, @Nullable Integer maxChannels) {}

    private Optional<Limits> limits(UUID trunkId) {
        return limits(jdbc, trunkId);
    }

    static Optional<Limits> limits(JdbcClient jdbc, UUID trunkId) {
        return jdbc.sql("select cps_limit, max_channels from sip_trunks where id = :id")
                .param("id", trunkId)
                .query((rs, row) -> new Limits(Jdbc.integer(rs, "cps_limit"), Jdbc.integer(rs, "max_channels")))
                .optional();
    }

    /** The trunk's pacing state, locked for this transaction (created on first use). */
    record PacingRow(
            @Nullable Instant nextSlotAt,
            BigDecimal rateFactor,
            @Nullable Instant pausedUntil) {}

    private PacingRow lockPacing(UUID trunkId, Instant now) {
        var row = selectPacingForUpdate(trunkId);
        if (row.isPresent()) {
            return row.get();
        }
        try {
            // a savepoint keeps the transaction usable on PostgreSQL if another node inserted first
            savepoints.executeWithoutResult(status -> jdbc.sql(
                            "insert into trunk_pacing (trunk_id, rate_factor, capacity_rejections, updated_at) values (:trunk, 1, 0, :now)")
                    .param("trunk", trunkId)
                    .param("now", Jdbc.utc(now))
                    .update());
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            // created concurrently (or the trunk is gone): read it below
        }
        return selectPacingForUpdate(trunkId).orElse(new PacingRow(null, BigDecimal.ONE, null));
    }

    private Optional<PacingRow> selectPacingForUpdate(UUID trunkId) {
        return jdbc.sql(
                        "select next_slot_at, rate_factor, paused_until from trunk_pacing where trunk_id = :trunk for update")
                .param("trunk", trunkId)
                .query((rs, row) -> new PacingRow(
                        Jdbc.instant(rs, "next_slot_at"),
                        rs.getBigDecimal("rate_factor"),
                        Jdbc.instant(rs, "paused_until")))
                .optional();
    }

    /** The trunk's next free send slot, not locked: sends book it on their own row, without a claim's lock. */
    private @Nullable Instant nextSendAt(UUID trunkId) {
        return jdbc.sql("select next_send_at from trunk_send_slots where trunk_id = :trunk")
                .param("trunk", trunkId)
                .query((rs, row) -> Optional.ofNullable(Jdbc.instant(rs, "next_send_at")))
                .optional()
                .flatMap(next -> next)
                .orElse(null);
    }

    private Map<UUID, Instant> lastTurns(UUID trunkId) {
        var turns = new HashMap<UUID, Instant>();
        jdbc.sql("select organization_id, last_served_at from trunk_turns where trunk_id = :trunk")
                .param("trunk", trunkId)
                .query((rs, row) -> turns.put(Jdbc.uuid(rs, "organization_id"), Jdbc.instant(rs, "last_served_at")))
                .list();
        return turns;
    }

    private void recordTurn(UUID trunkId, UUID organizationId, Instant at) {
        var updated = jdbc.sql(
                        "update trunk_turns set last_served_at = :at where trunk_id = :trunk and organization_id = :org")
                .param("at", Jdbc.utc(at))
                .param("trunk", trunkId)
                .param("org", organizationId)
                .update();
        if (updated == 0) {
            jdbc.sql("insert into trunk_turns (trunk_id, organization_id, last_served_at) values (:trunk, :org, :at)")
                    .param("trunk", trunkId)
                    .param("org", organizationId)
                    .param("at", Jdbc.utc(at))
                    .update();
        }
    }

    /** Calls queued on a trunk that no longer exists can never be dialed. */
    private void failOrphans(UUID trunkId) {
        var ids = jdbc.sql(
                        "select id from calls where sip_trunk_id = :trunk and status = 'queued' limit 100 for update skip locked")
                .param("trunk", trunkId)
                .query(UUID.class)
                .list();
        for (var id : ids) {
            lifecycle.recordConfigurationFailure(
                    id, "cannot dial: the SIP trunk of this call was deleted while it was queued");
        }
    }

    /**
     * Marks that this node is about to send the dial. Succeeds only while the node still holds its
     * claim and the call is still dialing: a claim taken back (lease expired) or a call canceled
     * meanwhile is never dialed.
     */
    boolean markDialSent(Call call, String node, Instant now) {
        // "(status = 'dialing') is true" leaves the primary key the only index this can use: with
        // statistics from when the table was young, a status index looked as cheap and was scanned
        return jdbc.sql("""
                        update calls set dial_sent_at = :now, dial_deadline_at = :deadline
                        where id = :id and (status = 'dialing') is true and claimed_by = :node and dial_sent_at is null""")
                        .param("now", Jdbc.utc(now))
                        .param("deadline", Jdbc.utc(call.dialDeadline(now)))
                        .param("id", call.id())
                        .param("node", node)
                        .update()
                == 1;
    }

    /**
     * Puts back in the queue calls whose claim expired before their node sent the dial (the node
     * died or stalled). Nobody was dialed, so another node may dial them.
     */
    int requeueExpiredClaims(Instant now) {
        var ids = jdbc.sql("""
                        select id from calls where status = 'dialing' and dial_sent_at is null and lease_until < :now
                        order by lease_until limit 100""").param("now", Jdbc.utc(now)).query(UUID.class).list();
        var requeued = 0;
        for (var id : ids) {
            var done = transactions.execute(status -> {
                // re-checked on the locked row: the claim's node may have sent the dial meanwhile
                var still = jdbc.sql("""
                                select id from calls where id = :id and (status = 'dialing') is true and dial_sent_at is null
                                  and lease_until < :now for update""")
                        .param("id", id)
                        .param("now", Jdbc.utc(now))
                        .query(UUID.class)
                        .optional();
                return still.isPresent()
                        && lifecycle
                                .requeue(id, now, false, "its node's claim expired before the dial was sent")
                                .isPresent();
            });
            if (Boolean.TRUE.equals(done)) {
                requeued++;
            }
        }
        return requeued;
    }

    /**
     * Makes the organization's calls that wait for an opening of its calling window due now: queued
     * calls the dispatcher held for the window, and scheduled calls (not before their own
     * {@code schedule_at}). Calls waiting for a capacity retry keep their time. Returns how many.
     */
    int releaseWindowHolds(UUID organizationId, Instant now) {
        var held = jdbc.sql("""
                        update calls set not_before = null
                        where organization_id = :org and status = 'queued' and not_before > :now
                          and window_deferred_until = not_before""")
                .param("org", organizationId)
                .param("now", Jdbc.utc(now))
                .update();
        var scheduled = jdbc.sql("""
                        update calls set not_before = case when schedule_at > :now then schedule_at else :now end
                        where organization_id = :org and status = 'scheduled' and not_before > :now
                          and (schedule_at is null or not_before > schedule_at)""")
                .param("org", organizationId)
                .param("now", Jdbc.utc(now))
                .update();
        return held + scheduled;
    }

    /** Queues the scheduled calls that are due; returns how many. */
    int queueDueScheduled(Instant now) {
        var ids = jdbc.sql("""
                        select id from calls where status = 'scheduled' and not_before <= :now
                        order by not_before, id limit 500""").param("now", Jdbc.utc(now)).query(UUID.class).list();
        var queued = 0;
        for (var id : ids) {
            if (lifecycle.queueScheduled(id, now).isPresent()) {
                queued++;
            }
        }
        return queued;
    }

    /** When the next scheduled call is due, on any node; empty when none is scheduled. */
    Optional<Instant> nextScheduledDue() {
        return jdbc.sql("select min(not_before) as due from calls where status = 'scheduled'")
                .query((rs, row) -> Optional.ofNullable(Jdbc.instant(rs, "due")))
                .single();
    }

    /** Cancels scheduled and queued calls whose latest_at has passed; returns how many. */
    int expirePastLatest(Instant now) {
        var late = jdbc.sql("""
                        select id, latest_at from calls where status in ('scheduled', 'queued') and latest_at <= :now
                        limit 200""")
                .param("now", Jdbc.utc(now))
                .query((rs, row) -> Map.entry(Jdbc.requiredUuid(rs, "id"), Jdbc.requiredInstant(rs, "latest_at")))
                .list();
        var expired = 0;
        for (var call : late) {
            if (lifecycle.expireSchedule(call.getKey(), call.getValue()).isPresent()) {
                expired++;
            }
        }
        return expired;
    }

    /**
     * Cancels queued calls nobody waits for once they exceeded the maximum queue time, counted from
     * the opening of the callee's window for a call held for it.
     */
    int cancelStaleQueued(Instant now) {
        var ids = jdbc.sql("""
                        select id from calls where status = 'queued'
                          and ((wait_deadline is not null and wait_deadline < :now)
                            or (created_at < :oldest and (window_deferred_until is null or window_deferred_until < :oldest)))
                        limit 200""")
                .param("now", Jdbc.utc(now))
                .param("oldest", Jdbc.utc(now.minus(properties.maxQueueTime())))
                .query(UUID.class)
                .list();
        var canceled = 0;
        for (var id : ids) {
            if (lifecycle
                    .expireUndialed(id, "waited in the queue longer than allowed")
                    .isPresent()) {
                canceled++;
            }
        }
        return canceled;
    }

    /**
     * Whether a newly queued call could be claimed right now: not when its trunk is paused (by
     * {@code max_channels} 0 or after capacity refusals) or already has older calls waiting, which
     * the dispatch loop serves in order. Read without locks: a wrong "yes" costs one empty claim, a
     * wrong "no" a poll interval at most.
     */
    boolean mightClaimNow(Call queued) {
        return jdbc.sql("""
                        select t.max_channels, p.paused_until,
                          exists (select 1 from calls q where q.sip_trunk_id = t.id and q.status = 'queued'
                                    and q.created_at <= :created and q.id <> :id) as waiting
                        from sip_trunks t left join trunk_pacing p on p.trunk_id = t.id where t.id = :trunk""")
                .param("created", Jdbc.utc(queued.createdAt()))
                .param("id", queued.id())
                .param("trunk", queued.sipTrunkId())
                .query((rs, row) -> {
                    var channels = Jdbc.integer(rs, "max_channels");
                    var pausedUntil = Jdbc.instant(rs, "paused_until");
                    return (channels == null || channels > 0)
                            && (pausedUntil == null || !pausedUntil.isAfter(clock.instant()))
                            && !rs.getBoolean("waiting");
                })
                .optional()
                .orElse(true);
    }
}
