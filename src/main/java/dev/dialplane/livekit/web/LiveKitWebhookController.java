package dev.dialplane.livekit.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.livekit.LiveKitEvent;
import dev.dialplane.livekit.LiveKitEventIntake;
import dev.dialplane.livekit.LiveKitProperties;
import io.livekit.server.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitWebhook.WebhookEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/livekit}: LiveKit's signed webhooks. The signature is checked first, with
 * the SDK's {@link WebhookReceiver} (HS256 JWT in {@code Authorization}, no "Bearer", whose
 * {@code sha256} claim covers the exact body bytes); a bad or expired one is 401 and nothing is
 * stored. Only the events that move calls and recordings on are passed to the intake.
 */
@RestController
class LiveKitWebhookController {

    private static final Logger log = LoggerFactory.getLogger(LiveKitWebhookController.class);

    private final @Nullable WebhookReceiver receiver;
    private final LiveKitEventIntake intake;

    LiveKitWebhookController(LiveKitProperties properties, LiveKitEventIntake intake) {
        var configured = properties.apiKey() != null
                && !properties.apiKey().isBlank()
                && properties.apiSecret() != null
                && !properties.apiSecret().isBlank();
        this.receiver = configured ? new WebhookReceiver(properties.apiKey(), properties.apiSecret()) : null;
        this.intake = intake;
    }

    @PostMapping(path = "/webhooks/livekit", consumes = "*/*")
    Map<String, String> receive(
            @RequestBody(required = false) byte @Nullable [] body,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        if (receiver == null) {
            throw unauthorized(
                    "Dialplane runs in sandbox mode (no LIVEKIT_API_KEY/LIVEKIT_API_SECRET), so no LiveKit webhook can be verified.");
        }
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("Missing Authorization header: LiveKit signs each webhook with a JWT in it.");
        }
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("MALFORMED_REQUEST", "The webhook body is empty.");
        }
        var text = new String(body, StandardCharsets.UTF_8);
        WebhookEvent event;
        try {
            event = receiver.receive(text, authorization.strip());
        } catch (RuntimeException e) {
            log.info("Rejected a LiveKit webhook: {}", e.getClass().getSimpleName());
            throw unauthorized(
                    "The webhook signature is invalid or expired: it must be signed with Dialplane's LiveKit API key and secret over this exact body.");
        }
        var translated = translate(event, body);
        if (translated == null) {
            return Map.of("status", "ignored");
        }
        return Map.of("status", intake.accept(translated) ? "accepted" : "duplicate");
    }

    private static @Nullable LiveKitEvent translate(WebhookEvent event, byte[] body) {
        var id = event.getId().isEmpty() ? "sha256:" + sha256(body) : event.getId();
        var at = Instant.ofEpochSecond(event.getCreatedAt());
        return switch (event.getEvent()) {
            case "participant_left", "participant_connection_aborted" -> {
                var participant = event.getParticipant();
                yield new LiveKitEvent.ParticipantLeft(
                        id,
                        at,
                        event.getRoom().getName(),
                        participant.getIdentity(),
                        participant.getKind() == ParticipantInfo.Kind.SIP,
                        participant.getAttributesMap(),
                        participant.getDisconnectReason().name(),
                        event.getEvent().equals("participant_connection_aborted"));
            }
            case "room_finished" ->
                new LiveKitEvent.RoomFinished(id, at, event.getRoom().getName());
            case "egress_started", "egress_updated", "egress_ended" -> egress(id, at, event.getEgressInfo());
            default -> null;
        };
    }

    private static @Nullable LiveKitEvent egress(String id, Instant at, EgressInfo info) {
        var state = switch (info.getStatus()) {
            case EGRESS_STARTING -> LiveKitEvent.EgressState.STARTING;
            case EGRESS_ACTIVE, EGRESS_ENDING -> LiveKitEvent.EgressState.ACTIVE;
            case EGRESS_COMPLETE -> LiveKitEvent.EgressState.COMPLETE;
            case EGRESS_LIMIT_REACHED -> LiveKitEvent.EgressState.LIMIT_REACHED;
            case EGRESS_FAILED -> LiveKitEvent.EgressState.FAILED;
            case EGRESS_ABORTED -> LiveKitEvent.EgressState.ABORTED;
            default -> null;
        };
        if (state == null) {
            return null;
        }
        String location = null;
        if (info.getFileResultsCount() > 0) {
            var file = info.getFileResults(0);
            location = file.getLocation().isEmpty() ? file.getFilename() : file.getLocation();
        }
        return new LiveKitEvent.EgressChanged(
                id,
                at,
                info.getRoomName(),
                info.getEgressId(),
                state,
                location,
                info.getError().isEmpty() ? null : info.getError());
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "INVALID_SIGNATURE", message);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
