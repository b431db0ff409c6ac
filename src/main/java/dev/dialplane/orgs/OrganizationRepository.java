package dev.dialplane.orgs;

import dev.dialplane.common.Jdbc;
import dev.dialplane.common.Keyset;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.TenantRows;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class OrganizationRepository {

    private final JdbcClient jdbc;

    OrganizationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Organization organization) {
        jdbc.sql("""
                        insert into organizations (id, name, credits, reserved_credits, rate_per_minute, low_credit_threshold,
                            low_credit_notified, max_concurrent_calls, created_at, updated_at)
                        values (:id, :name, :credits, 0, :rate, :threshold, :notified, :maxCalls, :createdAt, :updatedAt)""")
                .param("id", organization.id())
                .param("name", organization.name())
                .param("credits", organization.credits())
                .param("rate", organization.ratePerMinute())
                .param("threshold", organization.lowCreditThreshold())
                .param("notified", organization.lowCreditNotified())
                .param("maxCalls", organization.maxConcurrentCalls())
                .param("createdAt", Jdbc.utc(organization.createdAt()))
                .param("updatedAt", Jdbc.utc(organization.updatedAt()))
                .update();
    }

    Optional<Organization> find(UUID id) {
        return jdbc.sql("select * from organizations where id = :id")
                .param("id", id)
                .query(OrganizationRepository::map)
                .optional();
    }

    /** Every organization, newest first (the operator's list). */
    List<Organization> page(PageRequest page) {
        var query = jdbc.sql("select * from organizations where " + Keyset.AFTER_CURSOR + " " + Keyset.ORDER_AND_LIMIT);
        return Keyset.bind(query, page).query(OrganizationRepository::map).list();
    }

    /** Reads and locks the row: balance changes of one organization serialize, so the ledger stays exact. */
    Optional<Organization> findForUpdate(UUID id) {
        return jdbc.sql("select * from organizations where id = :id for update")
                .param("id", id)
                .query(OrganizationRepository::map)
                .optional();
    }

    void updateSettings(
            UUID id,
            String name,
            BigDecimal rate,
            BigDecimal threshold,
            @Nullable Integer maxConcurrentCalls,
            Instant now) {
        jdbc.sql("""
                        update organizations set name = :name, rate_per_minute = :rate, low_credit_threshold = :threshold,
                            max_concurrent_calls = :maxCalls, updated_at = :now where id = :id""")
                .param("name", name)
                .param("rate", rate)
                .param("threshold", threshold)
                .param("maxCalls", maxConcurrentCalls)
                .param("now", Jdbc.utc(now))
                .param("id", id)
                .update();
    }

    void updateBalance(UUID id, BigDecimal credits, BigDecimal reserved, boolean lowCreditNotified, Instant now) {
        jdbc.sql("""
                        update organizations set credits = :credits, reserved_credits = :reserved,
                            low_credit_notified = :notified, updated_at = :now where id = :id""")
                .param("credits", credits)
                .param("reserved", reserved)
                .param("notified", lowCreditNotified)
                .param("now", Jdbc.utc(now))
                .param("id", id)
                .update();
    }

    /**
     * Holds {@code amount} for a new call in one conditional statement, so concurrent placements
     * can never hold more than the balance.
     */
    boolean reserve(UUID id, BigDecimal amount) {
        return jdbc.sql("""
                        update organizations set reserved_credits = reserved_credits + :amount
                        where id = :id and credits - reserved_credits >= :amount""").param("amount", amount).param("id", id).update() == 1;
    }

    void insertLedgerEntry(
            UUID organizationId,
            BigDecimal amount,
            BigDecimal balanceAfter,
            String reason,
            @Nullable UUID callId,
            Instant now) {
        jdbc.sql("""
                        insert into credit_ledger (id, organization_id, amount, balance_after, reason, call_id, created_at)
                        values (:id, :org, :amount, :balanceAfter, :reason, :callId, :now)""")
                .param("id", UUID.randomUUID())
                .param("org", organizationId)
                .param("amount", amount)
                .param("balanceAfter", balanceAfter)
                .param("reason", reason)
                .param("callId", callId)
                .param("now", Jdbc.utc(now))
                .update();
    }

    List<LedgerEntry> ledger(UUID organizationId, PageRequest page) {
        return TenantRows.page(
                jdbc,
                "credit_ledger",
                "true",
                organizationId,
                page,
                (rs, row) -> new LedgerEntry(
                        Jdbc.requiredUuid(rs, "id"),
                        rs.getBigDecimal("amount"),
                        rs.getBigDecimal("balance_after"),
                        rs.getString("reason"),
                        Jdbc.uuid(rs, "call_id"),
                        Jdbc.requiredInstant(rs, "created_at")));
    }

    BigDecimal ledgerSum(UUID organizationId) {
        return jdbc.sql("select coalesce(sum(amount), 0) from credit_ledger where organization_id = :org")
                .param("org", organizationId)
                .query(BigDecimal.class)
                .single();
    }

    private static Organization map(ResultSet rs, int row) throws SQLException {
        return new Organization(
                Jdbc.requiredUuid(rs, "id"),
                rs.getString("name"),
                rs.getBigDecimal("credits"),
                rs.getBigDecimal("reserved_credits"),
                rs.getBigDecimal("rate_per_minute"),
                rs.getBigDecimal("low_credit_threshold"),
                rs.getBoolean("low_credit_notified"),
                Jdbc.integer(rs, "max_concurrent_calls"),
                Jdbc.requiredInstant(rs, "created_at"),
                Jdbc.requiredInstant(rs, "updated_at"));
    }
}
