package dev.dialplane.calls.web;

import dev.dialplane.common.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/**
 * The first response to each Idempotency-Key of an organization, kept 24 h. The key's row is
 * written before the request runs, so of two concurrent requests with one key exactly one runs.
 *
 * <p>An in-flight key is owned by its running request for {@link #OWNERSHIP} at a time, renewed by
 * this process every {@link #RENEWAL} while the request runs. A key whose owner stopped renewing
 * it (its node died mid-request) may be taken over by a retry of the same request, which then
 * finds the call the first one stored, if any ({@code CallService} keeps one call per key).
 */
@Repository
class IdempotencyKeys {

    static final Duration RETENTION = Duration.ofHours(24);
    static final Duration OWNERSHIP = Duration.ofSeconds(30);
    static final Duration RENEWAL = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final Clock clock;
    /** The in-flight keys this process's requests own, renewed while they run. */
    private final Set<Owned> owned = ConcurrentHashMap.newKeySet();

    record Owned(UUID organizationId, String key) {}

    IdempotencyKeys(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A stored key: in flight (its first request still runs) or completed with its response. */
    record Entry(
            String fingerprint,
            boolean completed,
            @Nullable Integer status,
            @Nullable String contentType,
            @Nullable String body,
            @Nullable UUID callId,
            Instant expiresAt,
            @Nullable Instant ownerUntil) {

        /** An in-flight key whose request's node stopped renewing it: that request is gone. */
        boolean orphaned(Instant now) {
            // no owner recorded: written before owners were, by a process that has restarted since
            return !completed && (ownerUntil == null || ownerUntil.isBefore(now));
        }
    }

    /** @return true when this request owns the key now; false when the key already exists */
    boolean begin(UUID organizationId, String key, String fingerprint) {
        var now = clock.instant();
        try {
            jdbc.sql("""
                            insert into idempotency_keys (organization_id, idempotency_key, fingerprint, state, created_at, expires_at,
                                owner_until)
                            values (:org, :key, :fingerprint, 'in_flight', :now, :expires, :ownerUntil)""")
                    .param("org", organizationId)
                    .param("key", key)
                    .param("fingerprint", fingerprint)
                    .param("now", Jdbc.utc(now))
                    .param("expires", Jdbc.utc(now.plus(RETENTION)))
                    .param("ownerUntil", Jdbc.utc(now.plus(OWNERSHIP)))
                    .update();
            owned.add(new Owned(organizationId, key));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    Optional<Entry> find(UUID organizationId, String key) {
        return jdbc.sql("select * from idempotency_keys where organization_id = :org and idempotency_key = :key")
                .param("org", organizationId)
                .param("key", key)
                .query((rs, row) -> new Entry(
                        rs.getString("fingerprint"),
                        "completed".equals(rs.getString("state")),
                        Jdbc.integer(rs, "response_status"),
                        rs.getString("response_type"),
                        rs.getString("response_body"),
                        Jdbc.uuid(rs, "call_id"),
                        Jdbc.requiredInstant(rs, "expires_at"),
                        Jdbc.instant(rs, "owner_until")))
                .optional();
    }

    /**
     * Takes over an orphaned in-flight key for a retry of its request. Of several retries racing
     * for it, one wins; the others wait for it as for any running request.
     */
    boolean takeOver(UUID organizationId, String key) {
        var now = clock.instant();
        var taken = jdbc.sql("""
                        update idempotency_keys set owner_until = :ownerUntil
                        where organization_id = :org and idempotency_key = :key and state = 'in_flight'
                          and (owner_until is null or owner_until < :now)""")
                        .param("ownerUntil", Jdbc.utc(now.plus(OWNERSHIP)))
                        .param("org", organizationId)
                        .param("key", key)
                        .param("now", Jdbc.utc(now))
                        .update()
                == 1;
        if (taken) {
            owned.add(new Owned(organizationId, key));
        }
        return taken;
    }

    /** Keeps this process's running requests' keys theirs. */
    @Scheduled(fixedDelayString = "PT10S", initialDelayString = "PT10S")
    void renewOwned() {
        var until = Jdbc.utc(clock.instant().plus(OWNERSHIP));
        for (var key : owned) {
            jdbc.sql("""
                            update idempotency_keys set owner_until = :until
                            where organization_id = :org and idempotency_key = :key and state = 'in_flight'""")
                    .param("until", until)
                    .param("org", key.organizationId())
                    .param("key", key.key())
                    .update();
        }
    }

    void complete(
            UUID organizationId,
            String key,
            int status,
            @Nullable String contentType,
            String body,
            @Nullable UUID callId) {
        jdbc.sql("""
                        update idempotency_keys set state = 'completed', response_status = :status, response_type = :type,
                            response_body = :body, call_id = :callId
                        where organization_id = :org and idempotency_key = :key""")
                .param("status", status)
                .param("type", contentType)
                .param("body", body)
                .param("callId", callId)
                .param("org", organizationId)
                .param("key", key)
                .update();
        owned.remove(new Owned(organizationId, key));
    }

    /** Forgets a key: its request failed before creating a call, so a retry may run it again. */
    void release(UUID organizationId, String key) {
        owned.remove(new Owned(organizationId, key));
        // an expired key's call no longer answers for it: the key may place a new call
        jdbc.sql("update calls set idempotency_key = null where organization_id = :org and idempotency_key = :key")
                .param("org", organizationId)
                .param("key", key)
                .update();
        jdbc.sql("delete from idempotency_keys where organization_id = :org and idempotency_key = :key")
                .param("org", organizationId)
                .param("key", key)
                .update();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT15M")
    int forgetExpired() {
        var now = Jdbc.utc(clock.instant());
        jdbc.sql("""
                        update calls set idempotency_key = null
                        where idempotency_key is not null and exists (
                          select 1 from idempotency_keys k
                          where k.organization_id = calls.organization_id and k.idempotency_key = calls.idempotency_key
                            and k.expires_at < :now)""").param("now", now).update();
        return jdbc.sql("delete from idempotency_keys where expires_at < :now")
                .param("now", now)
                .update();
    }

    boolean expired(Entry entry) {
        return entry.expiresAt().isBefore(clock.instant());
    }

    boolean orphaned(Entry entry) {
        return entry.orphaned(clock.instant());
    }
}
