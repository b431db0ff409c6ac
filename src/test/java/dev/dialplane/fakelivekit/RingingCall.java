package dev.dialplane.fakelivekit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.jspecify.annotations.Nullable;

/**
 * The handle {@link FakeLiveKit#onDial} returns: it follows the first dial of its number after registration. With
 * {@link DialScript#holdUntilReleased()} the test ends that call with {@link #answer()}, {@link #fail} or
 * {@link #ringingTimeout()}; with any other script the outcome is already decided and those methods refuse.
 */
public final class RingingCall {

    private final LiveKitState state;
    private final String number;
    private final DialScript script;
    private final CountDownLatch dialed = new CountDownLatch(1);
    private volatile @Nullable CreateSIPParticipantRequest request;
    private volatile @Nullable DialCall call;

    RingingCall(LiveKitState state, String number, DialScript script) {
        this.state = state;
        this.number = number;
        this.script = script;
    }

    /** Called under the state lock; {@code call} is null when the dial failed before the room was joined. */
    void bind(CreateSIPParticipantRequest request, @Nullable DialCall call) {
        this.request = request;
        this.call = call;
        dialed.countDown();
    }

    boolean isBound() {
        return dialed.getCount() == 0;
    }

    DialScript script() {
        return script;
    }

    public String number() {
        return number;
    }

    /**
     * Blocks until the fake has received the dial (it is then ringing, or already decided for a non-held script) and
     * returns the request as received.
     *
     * @throws IllegalStateException if no dial arrives in time
     */
    public CreateSIPParticipantRequest awaitDialed(Duration timeout) {
        try {
            if (!dialed.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("no dial to " + number + " within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a dial to " + number, e);
        }
        return requireRequest();
    }

    /** The callee picks up: sip.callStatus becomes active and a waiting CreateSIPParticipant returns success. */
    public void answer() {
        complete(DialScript.answer());
    }

    /** The carrier sends a final failure, e.g. {@code fail(486, "Busy Here")}. */
    public void fail(int sipCode, String reasonPhrase) {
        complete(DialScript.sipFailure(sipCode, reasonPhrase));
    }

    /** The ringing timeout elapses now (canceled "sip request timed out"). */
    public void ringingTimeout() {
        complete(DialScript.ringingTimeout());
    }

    /** Ends the held call with any call outcome: answer, SIP failure, ringing timeout or auth failure. */
    public void complete(DialScript outcome) {
        if (script.kind() != DialScript.Kind.HOLD) {
            throw new IllegalStateException("the dial to " + number + " follows " + script + ", not a held call");
        }
        DialCall current = call;
        if (current == null) {
            throw new IllegalStateException("the dial to " + number + " has not arrived yet; use awaitDialed first");
        }
        if (!state.settle(current, Outcome.of(outcome))) {
            throw new IllegalStateException("the call to " + number + " already ended: "
                    + current.outcome.join().description());
        }
    }

    /** Whether the dial arrived and its outcome is decided. */
    public boolean isEnded() {
        DialCall current = call;
        return isBound() && (current == null || current.outcome.isDone());
    }

    /**
     * Blocks until the call ended (answered, failed, timed out or cancelled by the room) and describes how, e.g.
     * "answered", "SIP 486 Busy Here", "ringing timeout", "twirp deadline".
     */
    public String awaitEnded(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitDialed(timeout);
        DialCall current = call;
        if (current == null) {
            return "failed before joining the room";
        }
        try {
            return current.outcome
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .description();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the call to " + number + " did not end within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public String roomName() {
        return requireRequest().getRoomName();
    }

    /** The SIP participant's identity; only once it joined the room. */
    public String participantIdentity() {
        return requireCall().identity;
    }

    /** LiveKit's call id ({@code SCL_…}); only once the participant joined the room. */
    public String sipCallId() {
        return requireCall().sipCallId;
    }

    private CreateSIPParticipantRequest requireRequest() {
        CreateSIPParticipantRequest current = request;
        if (current == null) {
            throw new IllegalStateException("the dial to " + number + " has not arrived yet");
        }
        return current;
    }

    private DialCall requireCall() {
        requireRequest();
        DialCall current = call;
        if (current == null) {
            throw new IllegalStateException("the dial to " + number + " failed before joining the room");
        }
        return current;
    }

    @Override
    public String toString() {
        return "RingingCall[" + number + ", " + script + (isBound() ? ", dialed" : "") + "]";
    }
}
