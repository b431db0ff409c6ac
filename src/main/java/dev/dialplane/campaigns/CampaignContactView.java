package dev.dialplane.campaigns;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One contact of a campaign as TalkifAI's job detail shows it: where it stands, with what its last
 * attempt did.
 *
 * @param variables its custom fields as JSON object text, or null
 * @param talkifaiStatus TalkifAI's contact status, computed from the others (pending, queued,
 *     dialing, completed, no_answer, busy, timeout, blocked, invalid_number, carrier_error, failed,
 *     cancelled): a contact waiting for its retry shows its last outcome
 * @param lastEndReason its last call's end reason, or null
 * @param lastError why its last placement was refused, or null
 * @param roomName its last call's room, once that call was dialed
 * @param sipCode its last call's SIP status code, when LiveKit gave one
 * @param callSeconds its last call's answered seconds (0 when not answered), once it ended
 */
public record CampaignContactView(
        UUID id,
        int rowNumber,
        String toNumber,
        @Nullable String name,
        @Nullable String variables,
        ContactStatus status,
        String talkifaiStatus,
        int attempts,
        @Nullable String lastEndReason,
        @Nullable String lastError,
        @Nullable Instant lastAttemptAt,
        @Nullable Instant nextAttemptAt,
        @Nullable Instant completedAt,
        @Nullable String roomName,
        @Nullable Integer sipCode,
        @Nullable Integer callSeconds) {

    static CampaignContactView of(CampaignRepository.ContactRow row) {
        return new CampaignContactView(
                row.id(),
                row.rowNumber(),
                row.toNumber(),
                row.name(),
                row.variables(),
                row.status(),
                row.talkifaiStatus(),
                row.attempts(),
                row.lastEndReason(),
                row.lastError(),
                row.lastAttemptAt(),
                row.status() == ContactStatus.PENDING ? row.nextAttemptAt() : null,
                row.completedAt(),
                row.lastRoomName(),
                row.lastSipCode(),
                row.lastCallSeconds());
    }
}
