package dev.dialplane.calls;

import dev.dialplane.livekit.SipDialRequest.MediaEncryption;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The per-call LiveKit SIP options (MrAssistant's request fields), already validated. TalkifAI
 * calls use {@link #defaults(int)}.
 */
public record CallOptions(
        boolean krispEnabled,
        boolean waitUntilAnswered,
        @Nullable String displayName,
        @Nullable String dtmf,
        boolean playDialtone,
        MediaEncryption mediaEncryption,
        int ringingTimeoutSeconds,
        int maxCallDurationSeconds,
        boolean hidePhoneNumber,
        Map<String, String> customHeaders) {

    public static final int DEFAULT_MAX_CALL_DURATION_SECONDS = 3600;

    public CallOptions {
        customHeaders = Map.copyOf(customHeaders);
    }

    /** These options for a caller that does not wait for the answer. */
    public CallOptions withoutWaiting() {
        return new CallOptions(
                krispEnabled,
                false,
                displayName,
                dtmf,
                playDialtone,
                mediaEncryption,
                ringingTimeoutSeconds,
                maxCallDurationSeconds,
                hidePhoneNumber,
                customHeaders);
    }

    public static CallOptions defaults(int ringingTimeoutSeconds) {
        return new CallOptions(
                true,
                true,
                null,
                null,
                false,
                MediaEncryption.ALLOW,
                ringingTimeoutSeconds,
                DEFAULT_MAX_CALL_DURATION_SECONDS,
                false,
                Map.of());
    }
}
