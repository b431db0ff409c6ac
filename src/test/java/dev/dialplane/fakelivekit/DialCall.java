package dev.dialplane.fakelivekit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.jspecify.annotations.Nullable;

/** One dial that got as far as the room: the SIP participant joined and the INVITE is out. */
final class DialCall {

    final CreateSIPParticipantRequest request;
    final String roomName;
    final String identity;
    final String participantSid;
    final String sipCallId;
    /** Completed exactly once, under the state lock, by {@link LiveKitState#settle}. */
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    @Nullable ScheduledFuture<?> ringingTimer;

    DialCall(
            CreateSIPParticipantRequest request,
            String roomName,
            String identity,
            String participantSid,
            String sipCallId) {
        this.request = request;
        this.roomName = roomName;
        this.identity = identity;
        this.participantSid = participantSid;
        this.sipCallId = sipCallId;
    }
}
