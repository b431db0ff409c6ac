package dev.dialplane.fakelivekit;

import com.google.protobuf.Message;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request the fake received.
 *
 * @param service short service name: "SIP", "RoomService", "AgentDispatchService", "Egress" (for unknown routes, the
 *     path segment after {@code /twirp/}, or the raw path)
 * @param method RPC name, e.g. "CreateSIPParticipant"
 * @param contentType the Content-Type header as sent, or "" if none
 * @param headers request headers; keys compare case-insensitively
 * @param jwtClaims the token's decoded payload (also for tokens that failed verification), empty without a token
 * @param body the decoded request, or {@code null} if the request never got that far
 * @param responseStatus the HTTP status answered, or 0 while the request is still in progress (a held dial)
 * @param receivedAt when the fake received it
 */
public record RecordedRequest(
        String service,
        String method,
        String contentType,
        Map<String, List<String>> headers,
        Map<String, Object> jwtClaims,
        @Nullable Message body,
        int responseStatus,
        Instant receivedAt) {

    /** The body as its generated type, e.g. {@code bodyAs(LivekitSip.CreateSIPParticipantRequest.class)}. */
    public <T extends Message> T bodyAs(Class<T> type) {
        if (body == null) {
            throw new IllegalStateException(service + "/" + method + " has no decoded body");
        }
        return type.cast(body);
    }

    /** First value of a header, any case. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The {@code X-Twirp-Timeout-Ms} the caller asked for, if any (contract §2.6). */
    public Optional<Long> twirpTimeoutMs() {
        return header("X-Twirp-Timeout-Ms").flatMap(value -> {
            try {
                return Optional.of(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
