package dev.dialplane.calls;

import dev.dialplane.livekit.LiveKitEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Follows calls to their end from LiveKit's events, which run inside the intake's transaction.
 * LiveKit sends {@code participant_joined} at dialing, not at answer (livekit/sip#136), so only
 * endings are taken from webhooks; the answer comes from the dial itself. Events about rooms
 * Dialplane did not create, about other participants, or that arrive late or twice change nothing.
 */
@Component
class LiveKitEventHandler {

    private static final Logger log = LoggerFactory.getLogger(LiveKitEventHandler.class);

    private final CallRepository calls;
    private final CallLifecycle lifecycle;

    LiveKitEventHandler(CallRepository calls, CallLifecycle lifecycle) {
        this.calls = calls;
        this.lifecycle = lifecycle;
    }

    @EventListener
    void on(LiveKitEvent event) {
        var found = calls.findByRoom(event.roomName());
        if (found.isEmpty()) {
            log.debug(
                    "Ignoring {} for room {}: not a Dialplane call",
                    event.getClass().getSimpleName(),
                    event.roomName());
            return;
        }
        var call = found.get();
        switch (event) {
            case LiveKitEvent.ParticipantLeft left -> participantLeft(call, left);
            case LiveKitEvent.RoomFinished finished -> roomFinished(call, finished);
            case LiveKitEvent.EgressChanged egress -> egressChanged(call, egress);
        }
    }

    private void participantLeft(Call call, LiveKitEvent.ParticipantLeft left) {
        var callee = left.sip()
                && (left.identity().equals(call.participantIdentity())
                        || call.id().toString().equals(left.attributes().get("dialplane.call_id")));
        if (!callee) {
            return; // the agent, an egress, or a transfer leg: only the callee's leg ends the call
        }
        switch (call.status()) {
            case IN_PROGRESS ->
                lifecycle.transition(
                        call.id(),
                        Transition.ended(
                                CallStatus.COMPLETED,
                                lifecycle.endReasonFor(call, left.disconnectReason(), left.createdAt()),
                                "callee's leg left the room (" + left.disconnectReason() + ")",
                                left.createdAt()));
            // the dial's own answer carries the SIP status and decides; remember the leave for a call
            // whose answer is still being processed (a callee who hung up at once)
            case DIALING, RINGING -> calls.markParticipantLeft(call.id(), left.createdAt(), left.disconnectReason());
            default -> log.debug("Call {} is {}: participant_left changes nothing", call.id(), call.status());
        }
    }

    private void roomFinished(Call call, LiveKitEvent.RoomFinished finished) {
        if (call.status() == CallStatus.IN_PROGRESS) {
            lifecycle.transition(
                    call.id(),
                    Transition.ended(
                            CallStatus.COMPLETED,
                            lifecycle.endReasonFor(call, "ROOM_CLOSED", finished.createdAt()),
                            "the room closed",
                            finished.createdAt()));
        }
    }

    /** Recording states only move forward: a late "active" never undoes "completed". */
    private void egressChanged(Call call, LiveKitEvent.EgressChanged egress) {
        var current = call.recording();
        if (current.status() == Recording.Status.DISABLED || current.status().isFinal()) {
            return;
        }
        if (current.egressId() != null && !current.egressId().equals(egress.egressId())) {
            return;
        }
        var next = switch (egress.state()) {
            case STARTING -> null;
            case ACTIVE ->
                current.status() == Recording.Status.STARTING
                        ? new Recording(Recording.Status.RECORDING, egress.egressId(), null, null)
                        : null;
            case COMPLETE -> new Recording(Recording.Status.COMPLETED, egress.egressId(), egress.location(), null);
            case LIMIT_REACHED ->
                new Recording(
                        Recording.Status.COMPLETED,
                        egress.egressId(),
                        egress.location(),
                        "recording stopped at a LiveKit limit");
            case FAILED, ABORTED ->
                new Recording(
                        Recording.Status.FAILED,
                        egress.egressId(),
                        egress.location(),
                        egress.error() == null
                                ? "LiveKit egress " + egress.state().name().toLowerCase(java.util.Locale.ROOT)
                                : egress.error());
        };
        if (next != null) {
            calls.updateRecording(call.id(), next);
        }
    }
}
