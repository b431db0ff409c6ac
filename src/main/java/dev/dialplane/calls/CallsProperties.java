package dev.dialplane.calls;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param answerTimeout how long {@code POST /telephony/outbound-call} waits for the callee to
 *     answer before answering 408; also the ringing timeout given to LiveKit for those calls
 * @param waitGrace extra time a waiting request allows beyond the ringing timeout for LiveKit's
 *     own answer to arrive (room creation, dispatch, DTMF)
 * @param superviseInterval how often overdue, orphaned and unverified calls are looked for
 * @param liveCheckInterval how often each answered call is verified against LiveKit, in case the
 *     webhook that ended it was lost (LiveKit's webhooks are best-effort)
 * @param maxDurationGrace how long after a call's maximum duration Dialplane itself hangs up, if
 *     LiveKit's own limit did not end it (livekit/sip#353)
 */
@ConfigurationProperties("dialplane.calls")
public record CallsProperties(
        @DefaultValue("60s") Duration answerTimeout,
        @DefaultValue("15s") Duration waitGrace,
        @DefaultValue("5s") Duration superviseInterval,
        @DefaultValue("5m") Duration liveCheckInterval,
        @DefaultValue("10s") Duration maxDurationGrace) {}
