package dev.dialplane.common;

import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Refreshes PostgreSQL's statistics of a table after a bulk load. Each connection caches a generic
 * plan of a statement once it ran a few times; one made while the table was nearly empty is a
 * sequential scan, which with a million rows costs tens of milliseconds a call (bench/run dnc and
 * bench/run campaign showed it) until autovacuum analyzes the table, whenever that is. ANALYZE
 * makes every connection plan again. H2 plans each statement anew: nothing to do there.
 */
@Component
public class TableStatistics {

    /** The tables a bulk load may refresh; the name goes into the statement, so only these. */
    private static final Set<String> TABLES = Set.of("dnc_entries", "campaign_contacts");

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private volatile @Nullable Boolean postgres;

    TableStatistics(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    public void refresh(String table) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not a bulk-loaded table: " + table);
        }
        if (isPostgres()) {
            jdbc.sql("analyze " + table).update();
        }
    }

    private boolean isPostgres() {
        var known = postgres;
        if (known == null) {
            try (var connection = dataSource.getConnection()) {
                known = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot reach the database to learn its kind: " + e.getMessage(), e);
            }
            postgres = known;
        }
        return known;
    }
}
