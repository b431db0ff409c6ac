package dev.dialplane.webhooks;

import dev.dialplane.common.Jdbc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How workers share the outbox, in one process or several on one database. A worker claims due
 * rows in a short transaction: {@code SELECT … FOR UPDATE SKIP LOCKED} picks rows no other claim
 * holds, and an update stamps them with a lease (a token and {@code locked_until}). After commit the
 * worker sends without holding any lock, then records the outcome under its token. A worker that
 * dies mid-send leaves its lease to run out; the row is then due again for anyone.
 *
 * <p>The lease update repeats the "due" condition, so a row is never claimed twice even where the
 * row lock is coarser or re-evaluated differently (H2 locks every row the WHERE clause matches
 * before applying ORDER BY/LIMIT; PostgreSQL locks only the rows returned).
 */
@Component
class DeliveryClaims {

    /** Stands in for "no endpoint" in {@code not in (...)}: an empty list is not valid SQL. */
    private static final UUID NO_ENDPOINT = new UUID(0, 0);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    DeliveryClaims(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Claims up to {@code limit} due deliveries for {@code lease}. A delivery is due when it is
     * pending, its time has come, nobody holds a live lease on it, its endpoint is enabled, and no
     * earlier event of the same call is still pending for that endpoint (so a call's events reach
     * an endpoint in sequence). Endpoints in {@code fullEndpoints} are skipped, and at most
     * {@code allowance} rows are taken per endpoint, so one busy endpoint cannot fill the batch.
     */
    List<ClaimedDelivery> claim(
            Instant now, Duration lease, int limit, Set<UUID> fullEndpoints, ToIntFunction<UUID> allowance) {
        var claimed = transactions.execute(status -> {
            var candidates = jdbc.sql("""
                            select d.id, d.endpoint_id from webhook_deliveries d
                            where d.status = 'pending' and d.next_attempt_at <= :now
                              and (d.locked_until is null or d.locked_until <= :now)
                              and d.endpoint_id not in (:fullEndpoints)
                              and exists (select 1 from webhook_endpoints e where e.id = d.endpoint_id and e.enabled = true)
                              and not exists (select 1 from webhook_deliveries p
                                              where p.call_id = d.call_id and p.endpoint_id = d.endpoint_id
                                                and p.sequence < d.sequence and p.status = 'pending')
                            order by d.next_attempt_at, d.id
                            limit :limit
                            for update skip locked""")
                    .param("now", Jdbc.utc(now))
                    .param("fullEndpoints", fullEndpoints.isEmpty() ? List.of(NO_ENDPOINT) : List.copyOf(fullEndpoints))
                    .param("limit", limit)
                    .query((rs, row) ->
                            new Candidate(Jdbc.requiredUuid(rs, "id"), Jdbc.requiredUuid(rs, "endpoint_id")))
                    .list();
            var picked = pick(candidates, allowance);
            if (picked.isEmpty()) {
                return List.<ClaimedDelivery>of();
            }
            var token = UUID.randomUUID();
            // by primary key only: "is true" keeps the status index out (see CallClaims#markDialSent)
            jdbc.sql("""
                            update webhook_deliveries set locked_until = :until, lease_token = :token
                            where id in (:ids) and (status = 'pending') is true and (locked_until is null or locked_until <= :now)""")
                    .param("until", Jdbc.utc(now.plus(lease)))
                    .param("token", token)
                    .param("ids", picked)
                    .param("now", Jdbc.utc(now))
                    .update();
            return jdbc.sql("""
                            select d.id, d.endpoint_id, d.format, d.webhook_id, d.payload, d.attempts, d.retry_step, d.lease_token,
                                e.url, e.secret_ciphertext, e.previous_secret_ciphertext, e.previous_secret_expires_at
                            from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
                            where d.id in (:ids) and d.lease_token = :token
                            order by d.next_attempt_at, d.id""")
                    .param("ids", picked)
                    .param("token", token)
                    .query((rs, row) -> new ClaimedDelivery(
                            Jdbc.requiredUuid(rs, "id"),
                            Jdbc.requiredUuid(rs, "endpoint_id"),
                            WebhookFormat.fromDatabase(rs.getString("format")),
                            rs.getString("webhook_id"),
                            rs.getString("payload"),
                            rs.getInt("attempts"),
                            rs.getInt("retry_step"),
                            Jdbc.requiredUuid(rs, "lease_token"),
                            rs.getString("url"),
                            rs.getString("secret_ciphertext"),
                            rs.getString("previous_secret_ciphertext"),
                            Jdbc.instant(rs, "previous_secret_expires_at")))
                    .list();
        });
        return claimed == null ? List.of() : claimed;
    }

    /**
     * Records an attempt and the delivery's next state, if the lease is still this worker's.
     * Returns false when it is not (the lease ran out and another worker took the delivery over):
     * the outcome is then left to that worker.
     */
    boolean complete(ClaimedDelivery delivery, DeliveryAttempt attempt, Next next) {
        var recorded = transactions.execute(status -> {
            var updated = jdbc.sql("""
                            update webhook_deliveries set status = :status, attempts = attempts + 1, retry_step = :retryStep,
                                next_attempt_at = :nextAttemptAt, locked_until = null, lease_token = null,
                                last_status_code = :statusCode, last_error = :error,
                                delivered_at = coalesce(cast(:deliveredAt as timestamp with time zone), delivered_at)
                            where id = :id and lease_token = :token""")
                    .param("status", next.status().toString())
                    .param("retryStep", next.retryStep())
                    .param("nextAttemptAt", Jdbc.utc(next.nextAttemptAt()))
                    .param("statusCode", attempt.statusCode())
                    .param("error", attempt.error())
                    .param(
                            "deliveredAt",
                            Jdbc.utc(next.status() == DeliveryStatus.DELIVERED ? attempt.attemptedAt() : null))
                    .param("id", delivery.id())
                    .param("token", delivery.leaseToken())
                    .update();
            if (updated == 0) {
                return false;
            }
            jdbc.sql("""
                            insert into webhook_attempts (delivery_id, number, attempted_at, status_code, error, duration_ms)
                            values (:id, :number, :attemptedAt, :statusCode, :error, :durationMs)""")
                    .param("id", delivery.id())
                    .param("number", attempt.number())
                    .param("attemptedAt", Jdbc.utc(attempt.attemptedAt()))
                    .param("statusCode", attempt.statusCode())
                    .param("error", attempt.error())
                    .param("durationMs", attempt.durationMs())
                    .update();
            return true;
        });
        return Boolean.TRUE.equals(recorded);
    }

    private static List<UUID> pick(List<Candidate> candidates, ToIntFunction<UUID> allowance) {
        var taken = new HashMap<UUID, Integer>();
        var picked = new ArrayList<UUID>();
        for (var candidate : candidates) {
            int already = taken.getOrDefault(candidate.endpointId(), 0);
            if (already < allowance.applyAsInt(candidate.endpointId())) {
                taken.put(candidate.endpointId(), already + 1);
                picked.add(candidate.id());
            }
        }
        return picked;
    }

    private record Candidate(UUID id, UUID endpointId) {}

    /** What an attempt's outcome makes of the delivery. */
    record Next(
            DeliveryStatus status, int retryStep, @Nullable Instant nextAttemptAt) {}

    /**
     * A delivery this worker holds the lease of, with what sending it needs.
     *
     * @param attempts attempts recorded before this one
     * @param retryStep failures in a row before this attempt (the position in the retry schedule)
     */
    record ClaimedDelivery(
            UUID id,
            UUID endpointId,
            WebhookFormat format,
            String webhookId,
            String payload,
            int attempts,
            int retryStep,
            UUID leaseToken,
            String url,
            String secretCiphertext,
            @Nullable String previousSecretCiphertext,
            @Nullable Instant previousSecretExpiresAt) {

        @Override
        public String toString() {
            return "ClaimedDelivery[id=" + id + ", endpointId=" + endpointId + ", webhookId=" + webhookId + "]";
        }
    }
}
