package dev.dialplane.calls.dispatch;

import dev.dialplane.common.Jdbc;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Adaptive pacing: when the carrier refuses dials for capacity (LiveKit reports its CPS or channel
 * rejection late, livekit/sip#481), the trunk slows down multiplicatively and pauses briefly; each
 * dial the carrier accepts speeds it up again additively (AIMD), back to the configured limit.
 */
@Component
class TrunkPacing {

    private static final Logger log = LoggerFactory.getLogger(TrunkPacing.class);
    static final double BACKOFF_FACTOR = 0.5;
    static final double MIN_RATE_FACTOR = 0.1;
    static final double RECOVERY_STEP = 0.05;
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    private static final Duration FULL_RATE_MEMORY = Duration.ofSeconds(1);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final DispatchProperties properties;
    private final Map<UUID, Long> fullRate = new ConcurrentHashMap<>();

    TrunkPacing(JdbcClient jdbc, TransactionTemplate transactions, DispatchProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
    }

    /** Halves the trunk's rate (not below 10 %) and pauses it 1 s, 2 s, 4 s … (at most 30 s). */
    void capacityRejected(UUID trunkId, Instant now) {
        fullRate.remove(trunkId);
        ensureRow(trunkId, now);
        transactions.executeWithoutResult(status -> {
            // the send row first, as a booking locks it: a booking waits for the pause, then sees it
            jdbc.sql("select next_send_at from trunk_send_slots where trunk_id = :trunk for update")
                    .param("trunk", trunkId)
                    .query((rs, n) -> 1)
                    .list();
            var rejections = jdbc.sql("select capacity_rejections from trunk_pacing where trunk_id = :trunk for update")
                    .param("trunk", trunkId)
                    .query(Integer.class)
                    .optional()
                    .orElse(0);
            var pause = Duration.ofSeconds(1L << Math.min(rejections, 5));
            if (pause.compareTo(MAX_PAUSE) > 0) {
                pause = MAX_PAUSE;
            }
            jdbc.sql("""
                            update trunk_pacing set rate_factor = greatest(:min, rate_factor * :backoff),
                                capacity_rejections = capacity_rejections + 1, paused_until = :until, updated_at = :now
                            where trunk_id = :trunk""")
                    .param("min", MIN_RATE_FACTOR)
                    .param("backoff", BACKOFF_FACTOR)
                    .param("until", Jdbc.utc(now.plus(pause)))
                    .param("now", Jdbc.utc(now))
                    .param("trunk", trunkId)
                    .update();
            log.info("Trunk {}: carrier refused a dial for capacity; slowing down and pausing {}", trunkId, pause);
        });
    }

    /**
     * Books the moment a claimed, prepared dial may be sent on its trunk (see
     * {@link Pacer#sendSlot}) and extends the call's claim to cover the wait. The trunk's send row
     * is locked for the booking, so sends are spaced across every node; it is not the row claims
     * lock, so a booking does not wait for a claim to pick its calls. A trunk without
     * {@code cps_limit} books nothing; only a pause holds its dials back.
     */
    Instant bookSend(UUID trunkId, UUID callId, String node, Instant now) {
        var trunk = jdbc.sql("""
                        select t.cps_limit, p.paused_until from sip_trunks t
                        left join trunk_pacing p on p.trunk_id = t.id where t.id = :trunk""")
                .param("trunk", trunkId)
                .query((rs, row) -> new TrunkState(Jdbc.integer(rs, "cps_limit"), Jdbc.instant(rs, "paused_until")))
                .optional();
        var slot = trunk.isEmpty() || trunk.get().cpsLimit() == null
                ? Pacer.sendSlot(null, trunk.map(TrunkState::pausedUntil).orElse(null), now)
                : bookPacedSend(trunkId, trunk.get().cpsLimit(), now);
        if (slot.isAfter(now)) {
            jdbc.sql("update calls set lease_until = :lease where id = :id and claimed_by = :node")
                    .param("lease", Jdbc.utc(slot.plus(properties.lease())))
                    .param("id", callId)
                    .param("node", node)
                    .update();
        }
        return slot;
    }

    private Instant bookPacedSend(UUID trunkId, int cpsLimit, Instant now) {
        for (int attempt = 0; attempt < 2; attempt++) {
            var slot = transactions.execute(status -> bookOnRow(trunkId, cpsLimit, now));
            if (slot != null && slot.isPresent()) {
                return slot.get();
            }
            // the trunk's first paced send: its row is made, then booked
            ensureSendRow(trunkId);
        }
        return now; // the trunk is gone
    }

    /** Books on the trunk's send row, locked; empty when it has none yet. */
    private Optional<Instant> bookOnRow(UUID trunkId, int cpsLimit, Instant now) {
        var row = jdbc.sql("select next_send_at from trunk_send_slots where trunk_id = :trunk for update")
                .param("trunk", trunkId)
                .query((rs, n) -> new SendRow(Jdbc.instant(rs, "next_send_at")))
                .optional();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        // read once the send row is locked: a capacity rejection locks it before pausing the trunk, so
        // every booking after the rejection sees the pause
        var pacing = jdbc.sql("select rate_factor, paused_until from trunk_pacing where trunk_id = :trunk")
                .param("trunk", trunkId)
                .query((rs, n) -> new SendState(rs.getBigDecimal("rate_factor"), Jdbc.instant(rs, "paused_until")))
                .optional()
                .orElse(new SendState(BigDecimal.ONE, null));
        var booked = Pacer.sendSlot(row.get().nextSendAt(), pacing.pausedUntil(), now);
        jdbc.sql("update trunk_send_slots set next_send_at = :next where trunk_id = :trunk")
                .param(
                        "next",
                        Jdbc.utc(booked.plus(
                                Pacer.spacing(cpsLimit, pacing.rateFactor(), properties.pacingTolerance()))))
                .param("trunk", trunkId)
                .update();
        return Optional.of(booked);
    }

    private void ensureSendRow(UUID trunkId) {
        try {
            jdbc.sql("""
                            insert into trunk_send_slots (trunk_id)
                            select :trunk where not exists (select 1 from trunk_send_slots where trunk_id = :trunk)""").param("trunk", trunkId).update();
        } catch (DataIntegrityViolationException e) {
            // inserted concurrently, or the trunk was deleted: the booking finds out which
        }
    }

    private record SendRow(@Nullable Instant nextSendAt) {}

    private record TrunkState(
            @Nullable Integer cpsLimit, @Nullable Instant pausedUntil) {}

    private record SendState(
            BigDecimal rateFactor, @Nullable Instant pausedUntil) {}

    /** A trunk dialed without limits may have no pacing row yet; a rejection needs one to slow it down. */
    private void ensureRow(UUID trunkId, Instant now) {
        try {
            jdbc.sql("""
                            insert into trunk_pacing (trunk_id, rate_factor, capacity_rejections, updated_at)
                            select :trunk, 1, 0, :now where not exists (select 1 from trunk_pacing where trunk_id = :trunk)""").param("trunk", trunkId).param("now", Jdbc.utc(now)).update();
        } catch (DataIntegrityViolationException e) {
            // inserted concurrently, or the trunk was deleted: either way nothing to slow down here
        }
    }

    /**
     * The carrier accepted a dial: recover a step, if the trunk had slowed down at all. A trunk
     * found at full rate is not asked about again for a second: nearly every dial is accepted, and
     * a rejection seen by another node then only delays this node's recovery steps by that second.
     */
    void dialAccepted(UUID trunkId) {
        var fullRateSince = fullRate.get(trunkId);
        if (fullRateSince != null && System.nanoTime() - fullRateSince < FULL_RATE_MEMORY.toNanos()) {
            return;
        }
        var recovered = jdbc.sql("""
                        update trunk_pacing set rate_factor = least(1, rate_factor + :step), capacity_rejections = 0
                        where trunk_id = :trunk and (rate_factor < 1 or capacity_rejections > 0)""")
                .param("step", RECOVERY_STEP)
                .param("trunk", trunkId)
                .update();
        if (recovered == 0) {
            fullRate.put(trunkId, System.nanoTime());
        } else {
            fullRate.remove(trunkId);
        }
    }
}
