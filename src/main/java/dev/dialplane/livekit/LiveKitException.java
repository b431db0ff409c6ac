package dev.dialplane.livekit;

import org.jspecify.annotations.Nullable;

/**
 * LiveKit could not be reached or refused a request. {@link #failure()} says which, in the same
 * vocabulary as dial outcomes. The message never contains credentials.
 */
public class LiveKitException extends RuntimeException {

    private final DialFailure failure;
    private final @Nullable Integer sipStatusCode;
    private final boolean nothingSent;

    public LiveKitException(DialFailure failure, String message) {
        this(failure, null, message);
    }

    public LiveKitException(DialFailure failure, @Nullable Integer sipStatusCode, String message) {
        this(failure, sipStatusCode, message, false);
    }

    private LiveKitException(
            DialFailure failure, @Nullable Integer sipStatusCode, String message, boolean nothingSent) {
        super(message, null, false, false);
        this.failure = failure;
        this.sipStatusCode = sipStatusCode;
        this.nothingSent = nothingSent;
    }

    /** LiveKit could not be reached and provably received nothing: the request may be made again later. */
    public static LiveKitException nothingSent(String message) {
        return new LiveKitException(DialFailure.LIVEKIT_UNAVAILABLE, null, message, true);
    }

    /** Whether the request provably never reached LiveKit (see {@link #nothingSent(String)}). */
    public boolean nothingSent() {
        return nothingSent;
    }

    public DialFailure failure() {
        return failure;
    }

    /** The SIP status the far end answered, when the failure carried one (e.g. a refused transfer). */
    public @Nullable Integer sipStatusCode() {
        return sipStatusCode;
    }

    /** Always set: every constructor takes a message. */
    @Override
    public String getMessage() {
        return java.util.Objects.requireNonNull(super.getMessage());
    }
}
