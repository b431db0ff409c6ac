package dev.dialplane.members;

import dev.dialplane.common.Jdbc;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.TenantRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class MemberRepository {

    private final JdbcClient jdbc;

    MemberRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static String key(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    void insert(Member member, String passwordHash) {
        jdbc.sql("""
                        insert into members (id, organization_id, email, email_key, password_hash, role, created_at)
                        values (:id, :org, :email, :key, :hash, :role, :createdAt)""")
                .param("id", member.id())
                .param("org", member.organizationId())
                .param("email", member.email())
                .param("key", key(member.email()))
                .param("hash", passwordHash)
                .param("role", member.role().value())
                .param("createdAt", Jdbc.utc(member.createdAt()))
                .update();
    }

    boolean emailTaken(String email) {
        return jdbc.sql("select count(*) from members where email_key = :key")
                        .param("key", key(email))
                        .query(Long.class)
                        .single()
                > 0;
    }

    Optional<MemberCredentials> findByEmail(String email) {
        return jdbc.sql("select * from members where email_key = :key")
                .param("key", key(email))
                .query((rs, row) -> new MemberCredentials(map(rs, row), rs.getString("password_hash")))
                .optional();
    }

    Optional<Member> find(UUID organizationId, UUID id) {
        return jdbc.sql("select * from members where organization_id = :org and id = :id")
                .param("org", organizationId)
                .param("id", id)
                .query(MemberRepository::map)
                .optional();
    }

    List<Member> list(UUID organizationId, PageRequest page) {
        return TenantRows.page(jdbc, "members", "1 = 1", organizationId, page, MemberRepository::map);
    }

    /** The organization's owners' ids, locked until the transaction ends: removals take turns. */
    List<UUID> lockOwners(UUID organizationId) {
        return jdbc.sql("select id from members where organization_id = :org and role = 'owner' for update")
                .param("org", organizationId)
                .query((rs, row) -> Jdbc.requiredUuid(rs, "id"))
                .list();
    }

    boolean delete(UUID organizationId, UUID id) {
        return TenantRows.delete(jdbc, "members", organizationId, id);
    }

    void signedIn(UUID id, Instant at) {
        jdbc.sql("update members set last_sign_in_at = :at where id = :id")
                .param("at", Jdbc.utc(at))
                .param("id", id)
                .update();
    }

    private static Member map(ResultSet rs, int row) throws SQLException {
        return new Member(
                Jdbc.requiredUuid(rs, "id"),
                Jdbc.requiredUuid(rs, "organization_id"),
                rs.getString("email"),
                MemberRole.parse(rs.getString("role")).orElseThrow(),
                Jdbc.requiredInstant(rs, "created_at"),
                Jdbc.instant(rs, "last_sign_in_at"));
    }
}
