package dev.dialplane.livekit;

/**
 * The SIP participant of a call as LiveKit currently has it. {@code callStatus} is its
 * {@code sip.callStatus} attribute: dialing, ringing, automation (sending DTMF), active, hangup.
 */
public record SipParticipantState(String callStatus) {

    public boolean answered() {
        return callStatus.equals("active") || callStatus.equals("automation");
    }

    public boolean stillRinging() {
        return callStatus.equals("dialing") || callStatus.equals("ringing") || callStatus.isEmpty();
    }
}
