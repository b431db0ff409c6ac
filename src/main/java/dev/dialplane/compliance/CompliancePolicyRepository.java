package dev.dialplane.compliance;

import dev.dialplane.common.Jdbc;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.TenantRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class CompliancePolicyRepository {

    private final JdbcClient jdbc;

    CompliancePolicyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<CompliancePolicy> find(UUID organizationId) {
        return jdbc.sql("select * from compliance_policies where organization_id = :org")
                .param("org", organizationId)
                .query(CompliancePolicyRepository::map)
                .optional();
    }

    /**
     * The organization's policy row (empty while it has the default), read after locking the
     * organization's own row: changes of one organization's policy happen one at a time, also the
     * first one, which has no policy row to lock yet.
     */
    Optional<CompliancePolicy> findForUpdate(UUID organizationId) {
        jdbc.sql("select id from organizations where id = :org for update")
                .param("org", organizationId)
                .query(UUID.class)
                .optional();
        return find(organizationId);
    }

    void save(UUID organizationId, CompliancePolicy policy, Instant now) {
        var window = policy.callingWindow();
        var caps = policy.maxAttemptsPerNumber();
        // nulls allowed: a window or caps turned off
        var values = new java.util.HashMap<String, @org.jspecify.annotations.Nullable Object>();
        values.put("start", window == null ? null : window.start().toString());
        values.put("end", window == null ? null : window.end().toString());
        values.put("days", window == null ? null : window.daysText());
        values.put("per24h", caps == null ? null : caps.per24h());
        values.put("per7d", caps == null ? null : caps.per7d());
        values.put("dnc", policy.dncEnforced());
        values.put("now", Jdbc.utc(now));
        values.put("org", organizationId);
        var updated = jdbc.sql("""
                        update compliance_policies set window_start = :start, window_end = :end, window_days = :days,
                          max_per_24h = :per24h, max_per_7d = :per7d, dnc_enforced = :dnc, updated_at = :now
                        where organization_id = :org""").params(values).update();
        if (updated == 0) {
            jdbc.sql("""
                            insert into compliance_policies (organization_id, window_start, window_end, window_days,
                              max_per_24h, max_per_7d, dnc_enforced, updated_at)
                            values (:org, :start, :end, :days, :per24h, :per7d, :dnc, :now)""").params(values).update();
        }
    }

    void insertChange(UUID organizationId, PolicyChange change) {
        jdbc.sql("""
                        insert into compliance_policy_changes (id, organization_id, created_at, api_key_prefix,
                          before_policy, after_policy)
                        values (:id, :org, :at, :prefix, :before, :after)""")
                .param("id", change.id())
                .param("org", organizationId)
                .param("at", Jdbc.utc(change.createdAt()))
                .param("prefix", change.apiKeyPrefix())
                .param("before", encode(change.before()))
                .param("after", encode(change.after()))
                .update();
    }

    List<PolicyChange> changes(UUID organizationId, PageRequest page) {
        return TenantRows.page(
                jdbc,
                "compliance_policy_changes",
                "1 = 1",
                organizationId,
                page,
                (rs, row) -> new PolicyChange(
                        Jdbc.requiredUuid(rs, "id"),
                        Jdbc.requiredInstant(rs, "created_at"),
                        rs.getString("api_key_prefix"),
                        decode(rs.getString("before_policy")),
                        decode(rs.getString("after_policy"))));
    }

    private static CompliancePolicy map(ResultSet rs, int row) throws SQLException {
        var start = rs.getString("window_start");
        var window = start == null
                ? null
                : new CallingWindow(
                        LocalTime.parse(start),
                        LocalTime.parse(rs.getString("window_end")),
                        CallingWindow.daysFromText(rs.getString("window_days")));
        var per24h = Jdbc.integer(rs, "max_per_24h");
        var per7d = Jdbc.integer(rs, "max_per_7d");
        var caps = per24h == null && per7d == null ? null : new AttemptCaps(per24h, per7d);
        return new CompliancePolicy(window, caps, rs.getBoolean("dnc_enforced"));
    }

    /** A policy as one line of text: {@code start|end|days|per_24h|per_7d|dnc}, empty for null. */
    static String encode(CompliancePolicy policy) {
        var window = policy.callingWindow();
        var caps = policy.maxAttemptsPerNumber();
        return String.join(
                "|",
                window == null ? "" : window.start().toString(),
                window == null ? "" : window.end().toString(),
                window == null ? "" : window.daysText(),
                caps == null || caps.per24h() == null ? "" : caps.per24h().toString(),
                caps == null || caps.per7d() == null ? "" : caps.per7d().toString(),
                Boolean.toString(policy.dncEnforced()));
    }

    static CompliancePolicy decode(String text) {
        var parts = text.split("\\|", -1);
        var window = parts[0].isEmpty()
                ? null
                : new CallingWindow(
                        LocalTime.parse(parts[0]), LocalTime.parse(parts[1]), CallingWindow.daysFromText(parts[2]));
        var per24h = integer(parts[3]);
        var per7d = integer(parts[4]);
        return new CompliancePolicy(
                window,
                per24h == null && per7d == null ? null : new AttemptCaps(per24h, per7d),
                Boolean.parseBoolean(parts[5]));
    }

    private static @Nullable Integer integer(String text) {
        return text.isEmpty() ? null : Integer.valueOf(text);
    }
}
