package dev.dialplane.common;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The organization-scoped reads and deletes every management table shares. Each query filters by
 * {@code organization_id}, so a row of another organization is simply absent. Table names are
 * constants of the calling repository, never client input.
 */
public final class TenantRows {

    private TenantRows() {}

    public static <T> Optional<T> find(
            JdbcClient jdbc, String table, UUID organizationId, UUID id, RowMapper<T> mapper) {
        return jdbc.sql("select * from " + table + " where organization_id = :org and id = :id")
                .param("org", organizationId)
                .param("id", id)
                .query(mapper)
                .optional();
    }

    /** One page, newest first; {@code extraCondition} narrows it further (e.g. "revoked_at is null"). */
    public static <T> List<T> page(
            JdbcClient jdbc,
            String table,
            String extraCondition,
            UUID organizationId,
            PageRequest page,
            RowMapper<T> mapper) {
        var query = jdbc.sql("select * from " + table + " where organization_id = :org and " + extraCondition + " and "
                        + Keyset.AFTER_CURSOR + " " + Keyset.ORDER_AND_LIMIT)
                .param("org", organizationId);
        return Keyset.bind(query, page).query(mapper).list();
    }

    public static boolean delete(JdbcClient jdbc, String table, UUID organizationId, UUID id) {
        return jdbc.sql("delete from " + table + " where organization_id = :org and id = :id")
                        .param("org", organizationId)
                        .param("id", id)
                        .update()
                == 1;
    }
}
