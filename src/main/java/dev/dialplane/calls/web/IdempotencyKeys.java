package dev.dialplane.calls.web;

import dev.dialplane.common.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/**
 * The first response to each Idempotency-Key of an organization, kept 24 h. The key's row is
 * written before the request runs, so of two concurrent requests with one key exactly one runs.
 */
@Repository
class IdempotencyKeys {

    static final Duration RETENTION = Duration.ofHours(24);

    private final JdbcClient jdbc;
    private final Clock clock;

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
            Instant expiresAt) {}

    /** @return true when this request owns the key now; false when the key already exists */
    boolean begin(UUID organizationId, String key, String fingerprint) {
        var now = clock.instant();
        try {
            jdbc.sql("""
                            insert into idempotency_keys (organization_id, idempotency_key, fingerprint, state, created_at, expires_at)
                            values (:org, :key, :fingerprint, 'in_flight', :now, :expires)""")
                    .param("org", organizationId)
                    .param("key", key)
                    .param("fingerprint", fingerprint)
                    .param("now", Jdbc.utc(now))
                    .param("expires", Jdbc.utc(now.plus(RETENTION)))
                    .update();
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
                        Jdbc.instant(rs, "expires_at")))
                .optional();
    }

    void complete(UUID organizationId, String key, int status, @Nullable String contentType, String body, @Nullable UUID callId) {
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
    }

    /** Forgets a key: its request failed before creating a call, so a retry may run it again. */
    void release(UUID organizationId, String key) {
        jdbc.sql("delete from idempotency_keys where organization_id = :org and idempotency_key = :key")
                .param("org", organizationId)
                .param("key", key)
                .update();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT15M")
    int forgetExpired() {
        return jdbc.sql("delete from idempotency_keys where expires_at < :now").param("now", Jdbc.utc(clock.instant())).update();
    }

    boolean expired(Entry entry) {
        return entry.expiresAt().isBefore(clock.instant());
    }
}
