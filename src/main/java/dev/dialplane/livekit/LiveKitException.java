package dev.dialplane.livekit;

import org.jspecify.annotations.Nullable;

/**
 * LiveKit could not be reached or refused a request. {@link #failure()} says which, in the same
 * vocabulary as dial outcomes. The message never contains credentials.
 */
public class LiveKitException extends RuntimeException {

    private final DialFailure failure;
    private final @Nullable Integer sipStatusCode;

    public LiveKitException(DialFailure failure, String message) {
        this(failure, null, message);
    }

    public LiveKitException(DialFailure failure, @Nullable Integer sipStatusCode, String message) {
        super(message, null, false, false);
        this.failure = failure;
        this.sipStatusCode = sipStatusCode;
    }

    public DialFailure failure() {
        return failure;
    }

    /** The SIP status the far end answered, when the failure carried one (e.g. a refused transfer). */
    public @Nullable Integer sipStatusCode() {
        return sipStatusCode;
    }
}
