package dev.dialplane.webhooks;

import dev.dialplane.common.Jdbc;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.TenantRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class WebhookEndpointRepository {

    private static final String TABLE = "webhook_endpoints";

    private final JdbcClient jdbc;

    WebhookEndpointRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(WebhookEndpoint endpoint, String secretCiphertext) {
        insert(endpoint, secretCiphertext, null);
    }

    /** Inserts an endpoint; one with a {@code campaignId} is that campaign's own, hidden from the endpoint routes. */
    void insert(WebhookEndpoint endpoint, String secretCiphertext, @Nullable UUID campaignId) {
        jdbc.sql("""
                        insert into webhook_endpoints (id, organization_id, url, format, event_types, enabled, description,
                            secret_ciphertext, created_at, updated_at, campaign_id)
                        values (:id, :org, :url, :format, :eventTypes, :enabled, :description, :secret, :createdAt, :updatedAt,
                            :campaign)""")
                .param("campaign", campaignId)
                .param("id", endpoint.id())
                .param("org", endpoint.organizationId())
                .param("url", endpoint.url())
                .param("format", endpoint.format().toString())
                .param("eventTypes", eventTypes(endpoint.eventTypes()))
                .param("enabled", endpoint.enabled())
                .param("description", endpoint.description())
                .param("secret", secretCiphertext)
                .param("createdAt", Jdbc.utc(endpoint.createdAt()))
                .param("updatedAt", Jdbc.utc(endpoint.updatedAt()))
                .update();
    }

    void update(WebhookEndpoint endpoint) {
        jdbc.sql("""
                        update webhook_endpoints set url = :url, format = :format, event_types = :eventTypes, enabled = :enabled,
                            description = :description, updated_at = :updatedAt
                        where organization_id = :org and id = :id and campaign_id is null""")
                .param("url", endpoint.url())
                .param("format", endpoint.format().toString())
                .param("eventTypes", eventTypes(endpoint.eventTypes()))
                .param("enabled", endpoint.enabled())
                .param("description", endpoint.description())
                .param("updatedAt", Jdbc.utc(endpoint.updatedAt()))
                .param("org", endpoint.organizationId())
                .param("id", endpoint.id())
                .update();
    }

    void updateSecrets(
            UUID id,
            String secretCiphertext,
            @Nullable String previousCiphertext,
            @Nullable Instant previousExpiresAt,
            Instant now) {
        jdbc.sql("""
                        update webhook_endpoints set secret_ciphertext = :secret, previous_secret_ciphertext = :previous,
                            previous_secret_expires_at = :previousExpiresAt, updated_at = :now
                        where id = :id""")
                .param("secret", secretCiphertext)
                .param("previous", previousCiphertext)
                .param("previousExpiresAt", Jdbc.utc(previousExpiresAt))
                .param("now", Jdbc.utc(now))
                .param("id", id)
                .update();
    }

    /** One of the organization's own endpoints (a campaign's is not one of them). */
    Optional<WebhookEndpoint> find(UUID organizationId, UUID id) {
        return jdbc.sql(
                        "select * from webhook_endpoints where organization_id = :org and id = :id and campaign_id is null")
                .param("org", organizationId)
                .param("id", id)
                .query(WebhookEndpointRepository::map)
                .optional();
    }

    /** The campaign's own endpoint (its {@code webhook_url}), if it has one. */
    Optional<WebhookEndpoint> ownedBy(UUID campaignId) {
        return jdbc.sql("select * from webhook_endpoints where campaign_id = :campaign")
                .param("campaign", campaignId)
                .query(WebhookEndpointRepository::map)
                .optional();
    }

    /** The endpoint with its current secret, locked until the transaction ends (rotations serialize). */
    Optional<Secured> findForUpdate(UUID organizationId, UUID id) {
        return jdbc.sql("""
                        select * from webhook_endpoints where organization_id = :org and id = :id and campaign_id is null
                        for update""")
                .param("org", organizationId)
                .param("id", id)
                .query((rs, row) -> new Secured(map(rs, row), rs.getString("secret_ciphertext")))
                .optional();
    }

    List<WebhookEndpoint> list(UUID organizationId, PageRequest page) {
        return TenantRows.page(
                jdbc, TABLE, "campaign_id is null", organizationId, page, WebhookEndpointRepository::map);
    }

    /**
     * What an event of the organization is delivered to: every enabled endpoint of its own (a
     * campaign's endpoint gets only that campaign's events).
     */
    List<WebhookEndpoint> enabled(UUID organizationId) {
        return jdbc.sql(
                        "select * from webhook_endpoints where organization_id = :org and enabled = true and campaign_id is null")
                .param("org", organizationId)
                .query(WebhookEndpointRepository::map)
                .list();
    }

    long count(UUID organizationId) {
        return jdbc.sql("select count(*) from webhook_endpoints where organization_id = :org and campaign_id is null")
                .param("org", organizationId)
                .query(Long.class)
                .single();
    }

    boolean delete(UUID organizationId, UUID id) {
        return jdbc.sql(
                                "delete from webhook_endpoints where organization_id = :org and id = :id and campaign_id is null")
                        .param("org", organizationId)
                        .param("id", id)
                        .update()
                == 1;
    }

    private static @Nullable String eventTypes(@Nullable List<WebhookEventType> types) {
        return types == null
                ? null
                : types.stream().map(WebhookEventType::toString).collect(Collectors.joining(","));
    }

    private static WebhookEndpoint map(ResultSet rs, int row) throws SQLException {
        var types = rs.getString("event_types");
        return new WebhookEndpoint(
                Jdbc.requiredUuid(rs, "id"),
                Jdbc.requiredUuid(rs, "organization_id"),
                rs.getString("url"),
                WebhookFormat.fromDatabase(rs.getString("format")),
                types == null
                        ? null
                        : Arrays.stream(types.split(","))
                                .map(WebhookEventType::fromDatabase)
                                .toList(),
                rs.getBoolean("enabled"),
                rs.getString("description"),
                Jdbc.instant(rs, "previous_secret_expires_at"),
                Jdbc.requiredInstant(rs, "created_at"),
                Jdbc.requiredInstant(rs, "updated_at"));
    }

    record Secured(WebhookEndpoint endpoint, String secretCiphertext) {}
}
