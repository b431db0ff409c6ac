package dev.dialplane.agents;

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
class AgentRepository {

    private final JdbcClient jdbc;

    AgentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Agent agent) {
        jdbc.sql("""
                        insert into agents (id, organization_id, name, architecture, livekit_agent_name, record, created_at, updated_at)
                        values (:id, :org, :name, :architecture, :livekitAgentName, :record, :createdAt, :updatedAt)""")
                .param("id", agent.id())
                .param("org", agent.organizationId())
                .param("name", agent.name())
                .param("architecture", agent.architecture().toString())
                .param("livekitAgentName", agent.livekitAgentName())
                .param("record", agent.record())
                .param("createdAt", Jdbc.utc(agent.createdAt()))
                .param("updatedAt", Jdbc.utc(agent.updatedAt()))
                .update();
    }

    void update(Agent agent) {
        jdbc.sql("""
                        update agents set name = :name, architecture = :architecture,
                            livekit_agent_name = :livekitAgentName, record = :record, updated_at = :updatedAt
                        where organization_id = :org and id = :id""")
                .param("name", agent.name())
                .param("architecture", agent.architecture().toString())
                .param("livekitAgentName", agent.livekitAgentName())
                .param("record", agent.record())
                .param("updatedAt", Jdbc.utc(agent.updatedAt()))
                .param("org", agent.organizationId())
                .param("id", agent.id())
                .update();
    }

    Optional<Agent> find(UUID organizationId, UUID id) {
        return TenantRows.find(jdbc, "agents", organizationId, id, AgentRepository::map);
    }

    List<Agent> list(UUID organizationId, PageRequest page) {
        return TenantRows.page(jdbc, "agents", "true", organizationId, page, AgentRepository::map);
    }

    boolean delete(UUID organizationId, UUID id) {
        return TenantRows.delete(jdbc, "agents", organizationId, id);
    }

    private static Agent map(ResultSet rs, int row) throws SQLException {
        return new Agent(
                Jdbc.requiredUuid(rs, "id"),
                Jdbc.requiredUuid(rs, "organization_id"),
                rs.getString("name"),
                AgentArchitecture.fromDatabase(rs.getString("architecture")),
                rs.getString("livekit_agent_name"),
                rs.getBoolean("record"),
                Jdbc.requiredInstant(rs, "created_at"),
                Jdbc.requiredInstant(rs, "updated_at"));
    }
}
