package db.migration;

import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, the dispatcher's indexes cover only the rows each query looks at: queued calls,
 * live calls, dialing calls, answered calls. With plain indexes led by {@code status}, a plan made
 * while the table was small (statistics of an empty table, kept in a prepared statement's generic
 * plan) read every queued call through the lease index and sorted them, for every claim: 6 ms per
 * claim with 1,000 queued became 150 ms with 100,000. Statistics are not to be relied on: they go
 * stale between analyses, and some installations run without autovacuum. With only partial
 * indexes, a query for queued calls has one index to choose (so there is deliberately no second
 * index over queued calls). H2 has no partial indexes and keeps the plain ones.
 */
public class V6__partial_queue_indexes extends BaseJavaMigration {

    private static final List<String> POSTGRES = List.of(
            "drop index calls_queue_idx",
            "drop index calls_status_trunk_idx",
            "drop index calls_lease_idx",
            "drop index calls_live_idx",
            // the plain status-led indexes are what such plans then picked; every status query here
            // is served by one of the partial indexes below
            "drop index calls_status_idx",
            "drop index calls_org_status_idx",
            "create index calls_queued_idx on calls (sip_trunk_id, organization_id, priority_rank desc, created_at, id)"
                    + " where status = 'queued'",
            "create index calls_live_trunk_idx on calls (sip_trunk_id) where status in ('dialing', 'ringing', 'in_progress')",
            "create index calls_live_org_idx on calls (organization_id) where status in ('dialing', 'ringing', 'in_progress')",
            "create index calls_lease_idx on calls (lease_until) where status = 'dialing'",
            "create index calls_live_idx on calls (max_end_at) where status = 'in_progress'");

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        if (!connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            return;
        }
        try (var statement = connection.createStatement()) {
            for (var sql : POSTGRES) {
                statement.execute(sql);
            }
        }
    }
}
