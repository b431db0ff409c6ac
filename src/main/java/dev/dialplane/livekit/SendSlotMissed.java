package dev.dialplane.livekit;

import java.time.Instant;

/**
 * A paced dial was not sent: the moment it could be written to LiveKit came after its
 * {@link SipDialRequest#sendBy}. Nothing reached LiveKit; the caller books a later slot.
 */
public final class SendSlotMissed extends RuntimeException {

    SendSlotMissed(Instant sendBy, Instant now) {
        super("the dial would have been sent "
                + java.time.Duration.between(sendBy, now).toMillis() + " ms after its latest send time; not sent");
    }
}
