package dev.dialplane.livekit;

/**
 * LiveKit as Dialplane needs it, in Dialplane's terms. Two implementations: {@code SdkLiveKitClient}
 * (a real LiveKit server through the official server SDK) and {@code SandboxCarrier} (simulated
 * outcomes for sandbox mode). The call flow above this interface is the same for both.
 */
public interface LiveKitClient {

    /**
     * Creates the call's room. An existing room with that name is not an error.
     *
     * @throws LiveKitException when LiveKit is unreachable or refuses
     */
    void createRoom(String roomName, String metadata);

    /**
     * Dispatches the named agent into the room; {@code metadata} reaches the agent as its job
     * metadata.
     *
     * @return LiveKit's dispatch id
     * @throws LiveKitException when LiveKit is unreachable or refuses
     */
    String dispatchAgent(String roomName, String agentName, String metadata);

    /**
     * Dials the callee and blocks until the call is answered or has failed. Call outcomes,
     * including LiveKit being unreachable, are returned, not thrown. {@code onRinging} runs (at
     * most once, on another thread) when the callee's phone is seen ringing.
     *
     * @throws LiveKitException {@link LiveKitException#nothingSent() nothingSent} only: LiveKit
     *     could not be reached and provably received nothing, so nobody was called
     */
    DialResult dial(SipDialRequest request, Runnable onRinging);

    /**
     * Starts recording the room's audio (agent and callee on separate channels).
     *
     * @return LiveKit's egress id
     * @throws LiveKitException when LiveKit is unreachable or refuses
     */
    String startRecording(String roomName, RecordingOutput output);

    /**
     * The call's SIP participant as LiveKit has it now; empty when it (or its room) is gone.
     *
     * @throws LiveKitException when LiveKit is unreachable or refuses
     */
    java.util.Optional<SipParticipantState> sipParticipant(String roomName, String participantIdentity);

    /**
     * Transfers the answered callee to {@code transferTo} ({@code tel:+E164} or a {@code sip:} URI)
     * with a SIP REFER; returns once the transfer was accepted.
     *
     * @throws LiveKitException when the transfer fails (with the SIP status), or LiveKit is
     *     unreachable or refuses
     */
    void transfer(String roomName, String participantIdentity, String transferTo, boolean playDialtone);

    /**
     * Ends the call for everyone by deleting its room (the callee gets a BYE, or a CANCEL while
     * ringing). A room that no longer exists counts as deleted.
     *
     * @throws LiveKitException when LiveKit is unreachable or refuses
     */
    void deleteRoom(String roomName);
}
