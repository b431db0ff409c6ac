package dev.dialplane.calls.dispatch;

import dev.dialplane.calls.Call;
import dev.dialplane.calls.TrunkLoad;
import dev.dialplane.common.Jdbc;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where a queued call stands, for the caller's information ({@code queue_position},
 * {@code estimated_start_at}): read without locks, never part of a claim, so an estimate may be a
 * moment out of date but never holds up dispatching.
 */
@Component
public class QueueEstimates {

    static final int POSITION_HORIZON = 10_000;

    private final JdbcClient jdbc;
    private final DispatchProperties properties;

    QueueEstimates(JdbcClient jdbc, DispatchProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * A queued call's place in its trunk's queue: its organization's calls ahead of it, times the
     * organizations taking turns; null when more than {@value #POSITION_HORIZON} of its
     * organization's calls are ahead (counting further would cost every enqueue of a deep queue
     * time in proportion to its depth).
     */
    public @Nullable Long position(Call call) {
        // two range scans in queue order (higher priorities; the same priority, earlier), each a
        // seek on the queue index that stops at the horizon, rather than one filter over the queue
        var higher = countAhead("""
                select count(*) from (
                  select 1 from calls
                  where sip_trunk_id = :trunk and status = 'queued' and organization_id = :org and priority_rank > :rank
                  limit :horizon) ahead""", call);
        var earlier = higher > POSITION_HORIZON ? 0 : countAhead("""
                select count(*) from (
                  select 1 from calls
                  where sip_trunk_id = :trunk and status = 'queued' and organization_id = :org and priority_rank = :rank
                    and (created_at, id) < (:created, :id)
                  limit :horizon) ahead""", call);
        var ahead = higher + earlier;
        if (ahead > POSITION_HORIZON) {
            return null;
        }
        var turns = CallClaims.distinctQueued(
                jdbc, "organization_id", call.sipTrunkId(), CallClaims.ORGANIZATIONS_PER_PASS);
        var organizations = Math.max(1, turns.size());
        return ahead * organizations + 1;
    }

    private long countAhead(String sql, Call call) {
        // a parameter the statement does not name is not bound
        return jdbc.sql(sql)
                .param("trunk", call.sipTrunkId())
                .param("org", call.organizationId())
                .param("rank", call.priority().ordinal())
                .param("created", Jdbc.utc(call.createdAt()))
                .param("id", call.id())
                .param("horizon", POSITION_HORIZON + 1)
                .query(Long.class)
                .single();
    }

    /**
     * How busy a trunk is now, read without locks: its live calls (dialing, ringing, in progress:
     * what {@code max_channels} counts), its queued calls due now (at most {@value #POSITION_HORIZON}), the dials sent in the last minute
     * and, when a carrier's rejections paused it, until when.
     */
    public TrunkLoad load(UUID trunkId, Instant now) {
        var queued = queuedDue(trunkId, now);
        var dialed = jdbc.sql("select count(*) from calls where sip_trunk_id = :trunk and dial_sent_at > :since")
                .param("trunk", trunkId)
                .param("since", Jdbc.utc(now.minus(TrunkLoad.RECENT)))
                .query(Long.class)
                .single();
        var pacing = pacing(trunkId);
        return new TrunkLoad(
                CallClaims.countLive(jdbc, "sip_trunk_id", trunkId),
                queued,
                dialed,
                pacing.pausedAt(now) ? pacing.pausedUntil() : null);
    }

    /** The trunk's effective dial rate, for estimates; null when it has no rate limit. */
    public @Nullable Duration spacing(UUID trunkId) {
        var trunk = CallClaims.limits(jdbc, trunkId);
        if (trunk.isEmpty() || trunk.get().cpsLimit() == null) {
            return null;
        }
        var factor = jdbc.sql("select rate_factor from trunk_pacing where trunk_id = :trunk")
                .param("trunk", trunkId)
                .query(BigDecimal.class)
                .optional()
                .orElse(BigDecimal.ONE);
        return Pacer.spacing(trunk.get().cpsLimit(), factor, properties.pacingTolerance());
    }

    /**
     * What a new call on {@code trunkId} would meet now, read without locks as a claim would see it:
     * whether it could be dialed at once (the trunk neither paused nor at its channel limit nor
     * waiting for its next pacing slot, the organization below its concurrency limit, no older call
     * of the trunk waiting) and, when not, where it would stand and when it should start.
     *
     * @param position the new call's place in the trunk's queue (1 when it would dial at once)
     * @param estimatedStartAt when it should start: {@code now} when at once, on a rate-limited
     *     trunk its place times the trunk's spacing after its next slot, else null (unknown)
     */
    public record Outlook(
            boolean dialNow, long position, @Nullable Instant estimatedStartAt) {}

    public Outlook outlook(UUID trunkId, UUID organizationId, Instant now) {
        var trunk = CallClaims.limits(jdbc, trunkId);
        var pacing = pacing(trunkId);
        var nextSlot = pacing.nextSlotAt();
        var pausedUntil = pacing.pausedUntil();
        var waiting = queuedDue(trunkId, now);
        var maxChannels = trunk.map(CallClaims.Limits::maxChannels).orElse(null);
        // -1: no limit (a row mapper may not return null)
        var organizationLimit = jdbc.sql("select coalesce(max_concurrent_calls, -1) from organizations where id = :id")
                .param("id", organizationId)
                .query(Integer.class)
                .optional()
                .orElse(-1);
        var organizationMax = organizationLimit < 0 ? null : organizationLimit;
        var dialNow = !pacing.pausedAt(now)
                && waiting == 0
                && (maxChannels == null || CallClaims.countLive(jdbc, "sip_trunk_id", trunkId) < maxChannels)
                && (organizationMax == null
                        || CallClaims.countLive(jdbc, "organization_id", organizationId) < organizationMax)
                && (nextSlot == null || !nextSlot.isAfter(now));
        if (dialNow) {
            return new Outlook(true, 1, now);
        }
        var spacing = spacing(trunkId);
        Instant start = null;
        if (spacing != null && maxChannels == null && organizationMax == null) {
            // only the rate holds it back: its turn comes after every call ahead, one slot each
            var from = nextSlot != null && nextSlot.isAfter(now) ? nextSlot : now;
            if (pausedUntil != null && pausedUntil.isAfter(from)) {
                from = pausedUntil;
            }
            start = from.plus(spacing.multipliedBy(waiting));
        }
        return new Outlook(false, waiting + 1, start);
    }

    /** The trunk's queued calls due at {@code now}, counted up to {@value #POSITION_HORIZON}. */
    private long queuedDue(UUID trunkId, Instant now) {
        return jdbc.sql("""
                        select count(*) from (select 1 from calls where sip_trunk_id = :trunk and status = 'queued'
                          and (not_before is null or not_before <= :now) limit :horizon) w""")
                .param("trunk", trunkId)
                .param("now", Jdbc.utc(now))
                .param("horizon", POSITION_HORIZON)
                .query(Long.class)
                .single();
    }

    /** The trunk's pacing row; both null when it never dialed. */
    private Pacing pacing(UUID trunkId) {
        return jdbc.sql("select next_slot_at, paused_until from trunk_pacing where trunk_id = :trunk")
                .param("trunk", trunkId)
                .query((rs, row) -> new Pacing(Jdbc.instant(rs, "next_slot_at"), Jdbc.instant(rs, "paused_until")))
                .optional()
                .orElse(new Pacing(null, null));
    }

    private record Pacing(
            @Nullable Instant nextSlotAt, @Nullable Instant pausedUntil) {

        boolean pausedAt(Instant now) {
            return pausedUntil != null && pausedUntil.isAfter(now);
        }
    }
}
