package dev.dialplane.calls;

import dev.dialplane.livekit.LiveKitClient;
import dev.dialplane.livekit.LiveKitException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps every call's status true when the normal signals fail: no call is left dialing or in
 * progress forever. Safe to run on several nodes at once: every change is a checked transition on
 * the call's locked row, and asking LiveKit twice does no harm.
 *
 * <ul>
 *   <li>A call past its maximum duration is hung up by Dialplane (LiveKit's own limit does not
 *       always end calls, livekit/sip#353).
 *   <li>A call still dialing after its dial deadline lost its node: LiveKit is asked whether the
 *       callee answered, still rings, or is gone.
 *   <li>An answered call is checked against LiveKit at start-up and then every
 *       {@code live-check-interval}, in case the webhook that ended it never came.
 * </ul>
 */
@Component
class CallSupervisor {

    private static final Logger log = LoggerFactory.getLogger(CallSupervisor.class);
    private static final int BATCH = 200;

    private final CallRepository calls;
    private final CallLifecycle lifecycle;
    private final LiveKitClient liveKit;
    private final CallsProperties properties;
    private final Clock clock;

    CallSupervisor(
            CallRepository calls,
            CallLifecycle lifecycle,
            LiveKitClient liveKit,
            CallsProperties properties,
            Clock clock) {
        this.calls = calls;
        this.lifecycle = lifecycle;
        this.liveKit = liveKit;
        this.properties = properties;
        this.clock = clock;
    }

    /** At start-up every answered call is verified, not only those due: this node may have been down long. */
    @EventListener(ApplicationReadyEvent.class)
    void onStartup() {
        Thread.ofVirtual().name("call-supervisor-startup").start(() -> {
            try {
                var now = clock.instant();
                endOverdueCalls(now);
                settleOrphanedDials(now);
                // every batch marks what it verified, so the next batch moves on
                while (verifyLiveCalls(now, now) == BATCH) {
                    log.debug("Verified a batch of answered calls against LiveKit at start-up");
                }
            } catch (RuntimeException e) {
                log.warn("Start-up reconciliation failed; the periodic one will retry", e);
            }
        });
    }

    @Scheduled(
            fixedDelayString = "${dialplane.calls.supervise-interval:5s}",
            initialDelayString = "${dialplane.calls.supervise-interval:5s}")
    void supervise() {
        var now = clock.instant();
        endOverdueCalls(now);
        settleOrphanedDials(now);
        verifyLiveCalls(now, now.minus(properties.liveCheckInterval()));
    }

    /** Hangs up answered calls more than the grace past their maximum duration. */
    int endOverdueCalls(Instant now) {
        var ended = 0;
        for (var call : calls.overdue(now.minus(properties.maxDurationGrace()), BATCH)) {
            lifecycle.requestEnd(call.id(), EndReason.MAX_DURATION);
            try {
                liveKit.deleteRoom(call.roomName());
            } catch (LiveKitException e) {
                log.warn(
                        "Call {} is past its maximum duration but LiveKit did not delete its room ({}); retrying",
                        call.id(),
                        e.getMessage());
                continue;
            }
            if (lifecycle
                    .transition(
                            call.id(),
                            Transition.ended(
                                    CallStatus.COMPLETED,
                                    EndReason.MAX_DURATION,
                                    "exceeded max_call_duration_seconds ("
                                            + call.options().maxCallDurationSeconds() + " s); Dialplane hung up"))
                    .isPresent()) {
                ended++;
            }
        }
        return ended;
    }

    /** Settles calls whose dialing node should long have recorded an outcome, by asking LiveKit. */
    int settleOrphanedDials(Instant now) {
        var settled = 0;
        for (var call : calls.orphanedDials(now, BATCH)) {
            try {
                var participant = liveKit.sipParticipant(call.roomName(), call.participantIdentity());
                if (participant.isPresent() && participant.get().answered()) {
                    settled += count(lifecycle.transition(
                            call.id(),
                            Transition.to(CallStatus.IN_PROGRESS, "reconciled: LiveKit reports the callee answered")));
                } else if (participant.isPresent()) {
                    lifecycle.requestEnd(call.id(), EndReason.ANSWER_TIMEOUT);
                    liveKit.deleteRoom(call.roomName());
                    settled += count(lifecycle.transition(
                            call.id(),
                            Transition.ended(
                                    CallStatus.NO_ANSWER,
                                    EndReason.ANSWER_TIMEOUT,
                                    "reconciled: still ringing after the dial deadline; Dialplane hung up")));
                } else {
                    settled += count(
                            lifecycle.transition(
                                    call.id(),
                                    Transition.ended(
                                            CallStatus.FAILED,
                                            EndReason.DIAL_INTERRUPTED,
                                            "reconciled: the node dialing this call stopped before LiveKit reported the outcome, and LiveKit no longer has the callee")));
                }
            } catch (LiveKitException e) {
                log.warn("Could not reconcile call {} with LiveKit ({}); retrying", call.id(), e.getMessage());
            }
        }
        return settled;
    }

    /**
     * Completes answered calls whose callee LiveKit no longer has and marks the others verified.
     *
     * @return how many calls were verified; a pass stops early when LiveKit cannot be reached
     */
    int verifyLiveCalls(Instant now, Instant checkedBefore) {
        var verified = 0;
        for (var call : calls.unreconciled(checkedBefore, BATCH)) {
            try {
                if (liveKit.sipParticipant(call.roomName(), call.participantIdentity())
                        .isEmpty()) {
                    lifecycle.transition(
                            call.id(),
                            Transition.ended(
                                    CallStatus.COMPLETED,
                                    EndReason.HANGUP_UNOBSERVED,
                                    "reconciled: LiveKit no longer has the callee and no webhook reported the end"));
                } else {
                    calls.markReconciled(call.id(), now);
                }
                verified++;
            } catch (LiveKitException e) {
                log.warn("Could not verify call {} with LiveKit ({}); retrying later", call.id(), e.getMessage());
                return verified;
            }
        }
        return verified;
    }

    private static int count(java.util.Optional<Call> changed) {
        return changed.isPresent() ? 1 : 0;
    }
}
