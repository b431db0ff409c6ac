package dev.dialplane.orgs;

import dev.dialplane.common.Jdbc;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.TenantRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ApiKeyRepository {

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ApiKey key, String hash) {
        jdbc.sql("""
                        insert into api_keys (id, organization_id, name, prefix, key_hash, created_at)
                        values (:id, :org, :name, :prefix, :hash, :createdAt)""")
                .param("id", key.id())
                .param("org", key.organizationId())
                .param("name", key.name())
                .param("prefix", key.prefix())
                .param("hash", hash)
                .param("createdAt", Jdbc.utc(key.createdAt()))
                .update();
    }

    boolean existsByHash(String hash) {
        return jdbc.sql("select count(*) from api_keys where key_hash = :hash")
                        .param("hash", hash)
                        .query(Long.class)
                        .single()
                > 0;
    }

    Optional<ApiKey> findActiveByHash(String hash) {
        return jdbc.sql("select * from api_keys where key_hash = :hash and revoked_at is null")
                .param("hash", hash)
                .query(ApiKeyRepository::map)
                .optional();
    }

    Optional<ApiKey> findActive(UUID organizationId, UUID id) {
        return jdbc.sql("select * from api_keys where organization_id = :org and id = :id and revoked_at is null")
                .param("org", organizationId)
                .param("id", id)
                .query(ApiKeyRepository::map)
                .optional();
    }

    List<ApiKey> listActive(UUID organizationId, PageRequest page) {
        return TenantRows.page(jdbc, "api_keys", "revoked_at is null", organizationId, page, ApiKeyRepository::map);
    }

    long countActive(UUID organizationId) {
        return jdbc.sql("select count(*) from api_keys where organization_id = :org and revoked_at is null")
                .param("org", organizationId)
                .query(Long.class)
                .single();
    }

    boolean revoke(UUID organizationId, UUID id, Instant now) {
        return jdbc.sql("""
                        update api_keys set revoked_at = :now
                        where organization_id = :org and id = :id and revoked_at is null""")
                        .param("now", Jdbc.utc(now))
                        .param("org", organizationId)
                        .param("id", id)
                        .update()
                == 1;
    }

    void touch(UUID id, Instant now) {
        jdbc.sql("update api_keys set last_used_at = :now where id = :id")
                .param("now", Jdbc.utc(now))
                .param("id", id)
                .update();
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        return new ApiKey(
                Jdbc.requiredUuid(rs, "id"),
                Jdbc.requiredUuid(rs, "organization_id"),
                rs.getString("name"),
                rs.getString("prefix"),
                Jdbc.requiredInstant(rs, "created_at"),
                Jdbc.instant(rs, "last_used_at"));
    }
}
