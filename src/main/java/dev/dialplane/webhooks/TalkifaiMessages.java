package dev.dialplane.webhooks;

import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.CallView;
import dev.dialplane.calls.EndReason;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * TalkifAI's webhook messages (their api-reference/webhooks page): the envelope
 * {@code {"id": "evt_…", "type", "created", "data"}} with camelCase data. Written as ordered maps,
 * not records, because the rest of the API is snake_case and these names must stay TalkifAI's.
 */
final class TalkifaiMessages {

    private TalkifaiMessages() {}

    /** The envelope's {@code id}, also the delivery's {@code webhook_id}: the same on every retry. */
    static String newEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** {@code created} as TalkifAI's example writes it: ISO-8601 UTC to the second ({@code 2024-01-15T10:34:05Z}). */
    static Map<String, Object> envelope(String id, WebhookEventType type, Instant created, Map<String, Object> data) {
        var envelope = new LinkedHashMap<String, Object>();
        envelope.put("id", id);
        envelope.put("type", type.toString());
        envelope.put("created", created.truncatedTo(ChronoUnit.SECONDS).toString());
        envelope.put("data", data);
        return envelope;
    }

    /**
     * A call event's data: {@code call.started} {@code {callId, agentId, direction, from, to}} and
     * {@code call.ended} {@code {callId, agentId, duration, status, endReason, recordingUrl}} as
     * documented; {@code call.failed} (undocumented) both sets plus {@code sipStatusCode} and
     * {@code errorMessage}.
     */
    static Map<String, Object> call(WebhookEventType type, CallView call) {
        var data = new LinkedHashMap<String, @Nullable Object>();
        data.put("callId", call.id());
        data.put("agentId", call.agentId());
        if (type != WebhookEventType.CALL_ENDED) {
            data.put("direction", call.direction());
            data.put("from", call.fromNumber());
            data.put("to", call.toNumber());
        }
        if (type != WebhookEventType.CALL_STARTED) {
            data.put("duration", call.durationSeconds() == null ? 0 : call.durationSeconds());
            data.put("status", status(call.status()));
            data.put("endReason", endReason(call.endReason()));
        }
        if (type == WebhookEventType.CALL_ENDED) {
            data.put("recordingUrl", call.recording().location());
        }
        if (type == WebhookEventType.CALL_FAILED) {
            data.put("sipStatusCode", call.sipStatusCode());
            data.put("errorMessage", call.errorMessage());
        }
        @SuppressWarnings("NullAway") // JSON null is a value here: the field is present and null
        Map<String, Object> written = data;
        return written;
    }

    /** {@code credit.low} and {@code credit.depleted} (both undocumented by TalkifAI). */
    static Map<String, Object> credit(UUID organizationId, BigDecimal balance, BigDecimal threshold) {
        var data = new LinkedHashMap<String, Object>();
        data.put("organizationId", organizationId);
        data.put("balance", balance);
        data.put("threshold", threshold);
        return data;
    }

    private static String status(CallStatus status) {
        return status.toString();
    }

    /** TalkifAI's one documented reason, {@code user_hangup}, is Dialplane's {@code hangup_by_callee}. */
    private static @Nullable String endReason(@Nullable EndReason reason) {
        if (reason == null) {
            return null;
        }
        return reason == EndReason.HANGUP_BY_CALLEE ? "user_hangup" : reason.toString();
    }
}
