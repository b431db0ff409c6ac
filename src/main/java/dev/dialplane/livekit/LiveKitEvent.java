package dev.dialplane.livekit;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What LiveKit reported about a room, in Dialplane's terms: from a verified LiveKit webhook, or from
 * the sandbox carrier. Delivered at least once and in no guaranteed order; consumers must tolerate
 * repeats and late arrivals.
 */
public sealed interface LiveKitEvent {

    /** LiveKit's event id (the deduplication key). */
    String id();

    Instant createdAt();

    String roomName();

    /**
     * A participant left the room. {@code disconnectReason} is LiveKit's {@code DisconnectReason}
     * name, e.g. {@code CLIENT_INITIATED} or {@code ROOM_DELETED}.
     *
     * @param sip whether the participant is a SIP participant (the callee's leg)
     * @param neverConnected LiveKit's {@code participant_connection_aborted}
     */
    record ParticipantLeft(
            String id,
            Instant createdAt,
            String roomName,
            String identity,
            boolean sip,
            Map<String, String> attributes,
            String disconnectReason,
            boolean neverConnected)
            implements LiveKitEvent {}

    /** The room closed (all participants gone, or deleted). */
    record RoomFinished(String id, Instant createdAt, String roomName) implements LiveKitEvent {}

    /** A recording (egress) changed state; {@code location} is set once a file exists. */
    record EgressChanged(
            String id,
            Instant createdAt,
            String roomName,
            String egressId,
            EgressState state,
            @Nullable String location,
            @Nullable String error)
            implements LiveKitEvent {}

    enum EgressState {
        STARTING,
        ACTIVE,
        COMPLETE,
        /** The file exists but LiveKit stopped at a limit (duration, size). */
        LIMIT_REACHED,
        FAILED,
        ABORTED
    }
}
