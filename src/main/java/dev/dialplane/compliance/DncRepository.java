package dev.dialplane.compliance;

import dev.dialplane.common.Jdbc;
import dev.dialplane.common.Keyset;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.TableStatistics;
import dev.dialplane.common.TenantRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class DncRepository {

    private final JdbcClient jdbc;
    private final TableStatistics statistics;

    DncRepository(JdbcClient jdbc, TableStatistics statistics) {
        this.jdbc = jdbc;
        this.statistics = statistics;
    }

    /** Refreshes the list's statistics after a large import (see {@link TableStatistics}). */
    void analyze() {
        statistics.refresh("dnc_entries");
    }

    /** One probe of the primary key. */
    boolean contains(UUID organizationId, String number) {
        return jdbc.sql("select 1 from dnc_entries where organization_id = :org and number = :number")
                .param("org", organizationId)
                .param("number", number)
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    Optional<DncEntry> find(UUID organizationId, String number) {
        return jdbc.sql("select * from dnc_entries where organization_id = :org and number = :number")
                .param("org", organizationId)
                .param("number", number)
                .query(DncRepository::map)
                .optional();
    }

    List<DncEntry> findAll(UUID organizationId, Collection<String> numbers) {
        if (numbers.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from dnc_entries where organization_id = :org and number in (:numbers)")
                .param("org", organizationId)
                .param("numbers", List.copyOf(numbers))
                .query(DncRepository::map)
                .list();
    }

    /**
     * Inserts the numbers not listed yet, in one statement (a number already listed keeps its
     * entry); returns how many were inserted. Positional parameters: one statement text per batch
     * size, so a full batch's plan is prepared once.
     */
    int insert(
            UUID organizationId, Collection<String> numbers, @Nullable String reason, DncSource source, Instant now) {
        var sql = new StringBuilder(
                "insert into dnc_entries (organization_id, number, id, reason, source, created_at) values ");
        var params = new ArrayList<@Nullable Object>(numbers.size() * 6);
        var at = Jdbc.utc(now);
        var first = true;
        for (var number : numbers) {
            sql.append(first ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
            first = false;
            params.add(organizationId);
            params.add(number);
            params.add(UUID.randomUUID());
            params.add(reason);
            params.add(source.toString());
            params.add(at);
        }
        // no conflict target: H2 (PostgreSQL mode) takes only this form, and the key is the only unique one
        sql.append(" on conflict do nothing");
        return jdbc.sql(sql.toString()).params(params).update();
    }

    boolean delete(UUID organizationId, String number) {
        return jdbc.sql("delete from dnc_entries where organization_id = :org and number = :number")
                        .param("org", organizationId)
                        .param("number", number)
                        .update()
                == 1;
    }

    List<DncEntry> page(UUID organizationId, PageRequest page) {
        return TenantRows.page(jdbc, "dnc_entries", "1 = 1", organizationId, page, DncRepository::map);
    }

    /** One page of the numbers starting with {@code prefix} ('+' and digits only), newest first. */
    List<DncEntry> pageByPrefix(UUID organizationId, String prefix, PageRequest page) {
        var query = jdbc.sql("select * from dnc_entries where organization_id = :org and number like :prefix and "
                        + Keyset.AFTER_CURSOR + " " + Keyset.ORDER_AND_LIMIT)
                .param("org", organizationId)
                .param("prefix", prefix + "%");
        return Keyset.bind(query, page).query(DncRepository::map).list();
    }

    private static DncEntry map(ResultSet rs, int row) throws SQLException {
        return new DncEntry(
                Jdbc.requiredUuid(rs, "id"),
                rs.getString("number"),
                rs.getString("reason"),
                DncSource.fromDatabase(rs.getString("source")),
                Jdbc.requiredInstant(rs, "created_at"));
    }
}
