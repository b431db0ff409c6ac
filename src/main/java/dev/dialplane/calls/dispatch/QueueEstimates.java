package dev.dialplane.calls.dispatch;

import dev.dialplane.calls.Call;
import dev.dialplane.common.Jdbc;
import java.math.BigDecimal;
import java.time.Duration;
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
}
