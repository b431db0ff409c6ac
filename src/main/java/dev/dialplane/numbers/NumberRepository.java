package dev.dialplane.numbers;

import dev.dialplane.common.Jdbc;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.TenantRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class NumberRepository {

    private final JdbcClient jdbc;

    NumberRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(PhoneNumber number) {
        jdbc.sql("""
                        insert into phone_numbers (id, organization_id, number, sip_trunk_id, outbound_agent_id,
                            inbound_agent_id, record, created_at, updated_at)
                        values (:id, :org, :number, :trunk, :outbound, :inbound, :record, :createdAt, :updatedAt)""")
                .param("id", number.id())
                .param("org", number.organizationId())
                .param("number", number.number())
                .param("trunk", number.sipTrunkId())
                .param("outbound", number.outboundAgentId())
                .param("inbound", number.inboundAgentId())
                .param("record", number.record())
                .param("createdAt", Jdbc.utc(number.createdAt()))
                .param("updatedAt", Jdbc.utc(number.updatedAt()))
                .update();
    }

    void update(PhoneNumber number) {
        jdbc.sql("""
                        update phone_numbers set number = :number, sip_trunk_id = :trunk, outbound_agent_id = :outbound,
                            inbound_agent_id = :inbound, record = :record, updated_at = :updatedAt
                        where organization_id = :org and id = :id""")
                .param("number", number.number())
                .param("trunk", number.sipTrunkId())
                .param("outbound", number.outboundAgentId())
                .param("inbound", number.inboundAgentId())
                .param("record", number.record())
                .param("updatedAt", Jdbc.utc(number.updatedAt()))
                .param("org", number.organizationId())
                .param("id", number.id())
                .update();
    }

    Optional<PhoneNumber> find(UUID organizationId, UUID id) {
        return TenantRows.find(jdbc, "phone_numbers", organizationId, id, NumberRepository::map);
    }

    Optional<PhoneNumber> findByNumber(UUID organizationId, String number) {
        return jdbc.sql("select * from phone_numbers where organization_id = :org and number = :number")
                .param("org", organizationId)
                .param("number", number)
                .query(NumberRepository::map)
                .optional();
    }

    /** The oldest number whose outbound agent is the given one: a stable choice of caller id. */
    Optional<PhoneNumber> findFirstForOutboundAgent(UUID organizationId, UUID agentId) {
        return jdbc.sql("""
                        select * from phone_numbers where organization_id = :org and outbound_agent_id = :agent
                        order by created_at, id limit 1""")
                .param("org", organizationId)
                .param("agent", agentId)
                .query(NumberRepository::map)
                .optional();
    }

    List<PhoneNumber> list(UUID organizationId, PageRequest page) {
        return TenantRows.page(jdbc, "phone_numbers", "true", organizationId, page, NumberRepository::map);
    }

    List<String> numbersUsingAgent(UUID agentId) {
        return jdbc.sql("""
                        select number from phone_numbers where outbound_agent_id = :id or inbound_agent_id = :id
                        order by number""").param("id", agentId).query(String.class).list();
    }

    List<String> numbersUsingTrunk(UUID trunkId) {
        return jdbc.sql("select number from phone_numbers where sip_trunk_id = :id order by number")
                .param("id", trunkId)
                .query(String.class)
                .list();
    }

    boolean delete(UUID organizationId, UUID id) {
        return TenantRows.delete(jdbc, "phone_numbers", organizationId, id);
    }

    private static PhoneNumber map(ResultSet rs, int row) throws SQLException {
        return new PhoneNumber(
                Jdbc.requiredUuid(rs, "id"),
                Jdbc.requiredUuid(rs, "organization_id"),
                rs.getString("number"),
                Jdbc.requiredUuid(rs, "sip_trunk_id"),
                Jdbc.uuid(rs, "outbound_agent_id"),
                Jdbc.uuid(rs, "inbound_agent_id"),
                rs.getBoolean("record"),
                Jdbc.requiredInstant(rs, "created_at"),
                Jdbc.requiredInstant(rs, "updated_at"));
    }
}
