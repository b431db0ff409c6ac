package dev.dialplane.webhooks;

import dev.dialplane.common.Jdbc;
import dev.dialplane.common.Keyset;
import dev.dialplane.common.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The outbox rows as the API and the outbox listener see them. Claiming is {@link DeliveryClaims}'. */
@Repository
class DeliveryRepository {

    /** Everything but the payload, which only the single-delivery view needs. */
    private static final String COLUMNS = """
            id, endpoint_id, webhook_id, event_type, call_id, sequence, status, attempts, next_attempt_at,
            last_status_code, last_error, created_at, delivered_at""";

    private final JdbcClient jdbc;

    DeliveryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Forgets finished deliveries created before {@code before}; their attempts go with them (cascade). */
    int deleteFinishedBefore(java.time.Instant before) {
        return jdbc.sql(
                        "delete from webhook_deliveries where status in ('delivered', 'failed') and created_at < :before")
                .param("before", dev.dialplane.common.Jdbc.utc(before))
                .update();
    }

    /**
     * Queues a delivery due at once. Returns false, writing nothing, when this endpoint already has
     * a delivery of the event: an event is delivered once per endpoint however often it is announced.
     */
    boolean insert(NewDelivery delivery) {
        return jdbc.sql("""
                        insert into webhook_deliveries (id, endpoint_id, format, webhook_id, event_type, event_key, call_id, sequence,
                            payload, status, attempts, retry_step, next_attempt_at, created_at)
                        select :id, :endpoint, :format, :webhookId, :eventType, :eventKey, cast(:callId as uuid), cast(:sequence as integer),
                            :payload, 'pending', 0, 0, :now, :now
                        where not exists (
                            select 1 from webhook_deliveries where endpoint_id = :endpoint and event_key = :eventKey)""")
                        .param("id", delivery.id())
                        .param("endpoint", delivery.endpointId())
                        .param("format", delivery.format().toString())
                        .param("webhookId", delivery.webhookId())
                        .param("eventType", delivery.eventType().toString())
                        .param("eventKey", delivery.eventKey())
                        .param("callId", delivery.callId())
                        .param("sequence", delivery.sequence())
                        .param("payload", delivery.payload())
                        .param("now", Jdbc.utc(delivery.createdAt()))
                        .update()
                == 1;
    }

    List<WebhookDelivery> page(UUID endpointId, PageRequest page) {
        var query = jdbc.sql("select " + COLUMNS + " from webhook_deliveries where endpoint_id = :endpoint and "
                        + Keyset.AFTER_CURSOR + " " + Keyset.ORDER_AND_LIMIT)
                .param("endpoint", endpointId);
        return Keyset.bind(query, page).query(DeliveryRepository::map).list();
    }

    Optional<WebhookDelivery> find(UUID endpointId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from webhook_deliveries where endpoint_id = :endpoint and id = :id")
                .param("endpoint", endpointId)
                .param("id", id)
                .query(DeliveryRepository::map)
                .optional();
    }

    String payload(UUID id) {
        return jdbc.sql("select payload from webhook_deliveries where id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }

    List<DeliveryAttempt> attempts(UUID deliveryId) {
        return jdbc.sql("select * from webhook_attempts where delivery_id = :id order by number")
                .param("id", deliveryId)
                .query((rs, row) -> new DeliveryAttempt(
                        rs.getInt("number"),
                        Jdbc.requiredInstant(rs, "attempted_at"),
                        Jdbc.integer(rs, "status_code"),
                        rs.getString("error"),
                        rs.getLong("duration_ms")))
                .list();
    }

    /**
     * Makes a delivery due now, at the start of the retry schedule again. Its webhook-id and body
     * stay the same, so the receiver can tell it is the same message. An attempt already in flight
     * keeps its lease and records its outcome as usual.
     */
    boolean redeliver(UUID endpointId, UUID id, Instant now) {
        return jdbc.sql("""
                        update webhook_deliveries set status = 'pending', next_attempt_at = :now, retry_step = 0
                        where endpoint_id = :endpoint and id = :id""")
                        .param("now", Jdbc.utc(now))
                        .param("endpoint", endpointId)
                        .param("id", id)
                        .update()
                == 1;
    }

    long countPending() {
        return jdbc.sql("select count(*) from webhook_deliveries where status = 'pending'")
                .query(Long.class)
                .single();
    }

    private static WebhookDelivery map(ResultSet rs, int row) throws SQLException {
        return new WebhookDelivery(
                Jdbc.requiredUuid(rs, "id"),
                Jdbc.requiredUuid(rs, "endpoint_id"),
                rs.getString("webhook_id"),
                WebhookEventType.fromDatabase(rs.getString("event_type")),
                Jdbc.uuid(rs, "call_id"),
                Jdbc.integer(rs, "sequence"),
                DeliveryStatus.fromDatabase(rs.getString("status")),
                rs.getInt("attempts"),
                Jdbc.instant(rs, "next_attempt_at"),
                Jdbc.integer(rs, "last_status_code"),
                rs.getString("last_error"),
                Jdbc.requiredInstant(rs, "created_at"),
                Jdbc.instant(rs, "delivered_at"));
    }

    record NewDelivery(
            UUID id,
            UUID endpointId,
            WebhookFormat format,
            String webhookId,
            WebhookEventType eventType,
            String eventKey,
            @Nullable UUID callId,
            @Nullable Integer sequence,
            String payload,
            Instant createdAt) {}
}
