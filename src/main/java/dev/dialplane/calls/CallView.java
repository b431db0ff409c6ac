package dev.dialplane.calls;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A call as clients see it, in {@code GET /calls/{id}} and in status webhooks. {@code call_id} and
 * {@code session_id} repeat {@code id}, and {@code tenant_id}, {@code started_at} and
 * {@code recording_url} carry MrAssistant's names for what Dialplane calls the organization,
 * {@code created_at} and the recording's location, so MrAssistant clients read their own fields.
 *
 * @param tenantId the organization's id (MrAssistant's tenant)
 * @param startedAt MrAssistant's required, never-null start: {@code created_at}, the one instant every
 *     call has (a call that is never dialed has no {@code dialing_at})
 * @param recordingUrl the recording's location once LiveKit reported it, else null
 * @param durationSeconds answered seconds, rounded up, once the call has ended (0 if never answered)
 * @param cost credits charged when the call ended
 * @param calleeTimezones the zones the callee's calling window was checked in
 * @param calleeLocalTime the callee's local time when the call was placed, then when it was dialed
 * @param scheduleAt the start the client asked for ({@code schedule_at}), or null
 * @param latestAt when the call is canceled if it has not started ({@code latest_at}), or null
 * @param answeredBy who picked up, as the agent reported it ({@code POST /calls/{id}/outcome}); the
 *     outcome fields are null until reported, then hold each field's latest reported value
 * @param disposition the agent's disposition, e.g. {@code interested}, {@code do_not_call}
 * @param summary the agent's summary of the conversation
 * @param sentimentScore from -1 (negative) to 1 (positive)
 * @param languageDetected the callee's language, a BCP 47 tag
 * @param outcomeReportedAt when the latest outcome report arrived
 */
public record CallView(
        UUID id,
        UUID callId,
        UUID sessionId,
        UUID tenantId,
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
        Instant startedAt,
        @Nullable Instant dialingAt,
        @Nullable Instant answeredAt,
        @Nullable Instant endedAt,
        @Nullable Long durationSeconds,
        @Nullable BigDecimal cost,
        @Nullable String transferTo,
        RecordingView recording,
        @Nullable String recordingUrl,
        java.util.List<String> calleeTimezones,
        @Nullable String calleeLocalTime,
        @Nullable Instant scheduleAt,
        @Nullable Instant latestAt,
        @Nullable AnsweredBy answeredBy,
        @Nullable String disposition,
        @Nullable String summary,
        @Nullable Double sentimentScore,
        @Nullable String languageDetected,
        @Nullable Instant outcomeReportedAt) {

    /** The call as it is when nothing has been reported about its outcome. */
    public static CallView of(Call call) {
        return of(call, null);
    }

    /** The call with what its agent reported ({@code null}: nothing yet). */
    public static CallView of(Call call, @Nullable CallOutcome outcome) {
        return new CallView(
                call.id(),
                call.id(),
                call.id(),
                call.organizationId(),
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
                call.createdAt(),
                call.dialingAt(),
                call.answeredAt(),
                call.endedAt(),
                call.durationSeconds(),
                call.cost(),
                call.transferTo(),
                RecordingView.of(call.recording()),
                call.recording().location(),
                call.calleeTimezones(),
                call.calleeLocalTime(),
                call.scheduleAt(),
                call.latestAt(),
                outcome == null ? null : outcome.answeredBy(),
                outcome == null ? null : outcome.disposition(),
                outcome == null ? null : outcome.summary(),
                outcome == null ? null : outcome.sentimentScore(),
                outcome == null ? null : outcome.languageDetected(),
                outcome == null ? null : outcome.reportedAt());
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
