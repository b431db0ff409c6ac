package dev.dialplane.calls;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A call as clients see it, in {@code GET /calls/{id}} and in status webhooks. {@code call_id} and
 * {@code session_id} repeat {@code id} for MrAssistant clients.
 *
 * @param durationSeconds answered seconds, rounded up, once the call has ended (0 if never answered)
 * @param cost credits charged when the call ended
 * @param calleeTimezones the zones the callee's calling window was checked in
 * @param calleeLocalTime the callee's local time when the call was placed, then when it was dialed
 * @param scheduleAt the start the client asked for ({@code schedule_at}), or null
 * @param latestAt when the call is canceled if it has not started ({@code latest_at}), or null
 */
public record CallView(
        UUID id,
        UUID callId,
        UUID sessionId,
        String direction,
        CallStatus status,
        @Nullable EndReason endReason,
        @Nullable Integer sipStatusCode,
        @Nullable String sipStatus,
        @Nullable String errorMessage,
        String roomName,
        UUID agentId,
        String agentName,
        String fromNumber,
        String toNumber,
        CallPriority priority,
        Instant createdAt,
        @Nullable Instant dialingAt,
        @Nullable Instant answeredAt,
        @Nullable Instant endedAt,
        @Nullable Long durationSeconds,
        @Nullable BigDecimal cost,
        @Nullable String transferTo,
        RecordingView recording,
        java.util.List<String> calleeTimezones,
        @Nullable String calleeLocalTime,
        @Nullable Instant scheduleAt,
        @Nullable Instant latestAt) {

    public static CallView of(Call call) {
        return new CallView(
                call.id(),
                call.id(),
                call.id(),
                Call.DIRECTION,
                call.status(),
                call.endReason(),
                call.sipStatusCode(),
                call.sipStatus(),
                call.errorMessage(),
                call.roomName(),
                call.agentId(),
                call.agentName(),
                call.fromNumber(),
                call.toNumber(),
                call.priority(),
                call.createdAt(),
                call.dialingAt(),
                call.answeredAt(),
                call.endedAt(),
                call.durationSeconds(),
                call.cost(),
                call.transferTo(),
                RecordingView.of(call.recording()),
                call.calleeTimezones(),
                call.calleeLocalTime(),
                call.scheduleAt(),
                call.latestAt());
    }

    /** The {@code recording} object: always a status; the rest once known. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecordingView(
            Recording.Status status,
            @Nullable String egressId,
            @Nullable String location,
            @Nullable String error) {

        public static RecordingView of(Recording recording) {
            return new RecordingView(recording.status(), recording.egressId(), recording.location(), recording.error());
        }
    }
}
