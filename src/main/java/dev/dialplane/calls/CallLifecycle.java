package dev.dialplane.calls;

import dev.dialplane.livekit.DialFailure;
import dev.dialplane.livekit.DialResult;
import dev.dialplane.orgs.OrganizationService;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The only writer of call status. Each change locks the call's row, checks the transition against
 * {@link CallStatus}, stores the new state and its numbered event together, settles billing when
 * the call ends, and publishes {@link CallStatusChanged} in the same transaction. A change that is
 * not allowed (news about an already-ended call, a repeated webhook) is ignored and reported as
 * empty.
 */
@Service
public class CallLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallLifecycle.class);
    private static final BigDecimal SECONDS_PER_MINUTE = BigDecimal.valueOf(60);

    private final CallRepository calls;
    private final CallEventLog history;
    private final OrganizationService organizations;
    private final ApplicationEventPublisher events;
    private final OutcomeNotifications outcomes;
    private final Clock clock;

    CallLifecycle(
            CallRepository calls,
            CallEventLog history,
            OrganizationService organizations,
            ApplicationEventPublisher events,
            OutcomeNotifications outcomes,
            Clock clock) {
        this.calls = calls;
        this.history = history;
        this.organizations = organizations;
        this.events = events;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    @Transactional
    public Optional<Call> transition(UUID callId, Transition change) {
        var current = calls.findForUpdate(callId).orElseThrow(() -> new IllegalStateException("no call " + callId));
        if (!current.status().canTransitionTo(change.status())) {
            log.debug("Call {} stays {}: ignoring {} ({})", callId, current.status(), change.status(), change.cause());
            return Optional.empty();
        }
        var now = clock.instant();
        var updated = current.apply(change, now);
        if (updated.status().isTerminal()) {
            var cost = costOf(updated);
            organizations.settle(updated.organizationId(), callId, updated.reservedCredits(), cost);
            updated = updated.withCost(cost);
        }
        if (!calls.updateState(updated)) {
            throw new IllegalStateException("call " + callId + " changed while locked");
        }
        var sequence = history.nextSequence(callId);
        history.insertEvent(
                new CallEvent(callId, sequence, updated.status(), change.cause(), change.sipStatusCode(), now));
        events.publishEvent(new CallStatusChanged(updated, current.status(), sequence));
        if (updated.waitDeadline() != null
                && updated.status().isOutcome()
                && !current.status().isOutcome()) {
            // its caller may be waiting on another node
            outcomes.announce(callId);
        }
        return Optional.of(updated);
    }

    /** Records the first event of a new call, in the transaction that inserted it. */
    void recordCreated(Call call, String cause) {
        history.insertEvent(new CallEvent(call.id(), 1, call.status(), cause, null, call.createdAt()));
        events.publishEvent(new CallStatusChanged(call, null, 1));
    }

    /**
     * Turns what LiveKit said about a dial into the call's next state (DESIGN.md §3 table). A callee
     * who already hung up by the time the answer is processed (LiveKit's webhook came first) ends the
     * call right after it is recorded as answered.
     */
    @Transactional
    public Optional<Call> recordDialResult(UUID callId, DialResult result) {
        return switch (result) {
            case DialResult.Answered answered -> {
                var call = transition(
                        callId,
                        new Transition(
                                CallStatus.IN_PROGRESS,
                                "callee answered",
                                null,
                                200,
                                "OK",
                                null,
                                answered.participantId(),
                                answered.sipCallId(),
                                null));
                var marks = calls.endMarks(callId);
                if (call.isPresent() && marks.participantLeftAt() != null) {
                    yield transition(
                            callId,
                            Transition.ended(
                                    CallStatus.COMPLETED,
                                    endReasonFor(
                                            call.get(), marks, marks.disconnectReason(), marks.participantLeftAt()),
                                    "callee left (" + marks.disconnectReason() + ") before the answer was processed",
                                    marks.participantLeftAt()));
                }
                yield call;
            }
            // the dial failed because Dialplane itself ended it (hang-up API, answer timeout): that is
            // the cause, whichever of the two records it first
            case DialResult.Failed failed
            when calls.endMarks(callId).requested() != null -> {
                var requested = calls.endMarks(callId).requested();
                yield transition(
                        callId,
                        new Transition(
                                requested == EndReason.HANGUP_API ? CallStatus.CANCELED : CallStatus.NO_ANSWER,
                                "Dialplane ended the dial (" + requested + "); LiveKit: " + failed.message(),
                                requested,
                                failed.sipStatusCode(),
                                failed.sipStatus(),
                                null,
                                null,
                                null,
                                null));
            }
            case DialResult.Failed failed ->
                transition(
                        callId,
                        new Transition(
                                statusOf(failed.failure()),
                                failed.message(),
                                reasonOf(failed.failure()),
                                failed.sipStatusCode(),
                                failed.sipStatus(),
                                failed.message(),
                                null,
                                null,
                                null));
        };
    }

    public Optional<Call> recordConfigurationFailure(UUID callId, String message) {
        return transition(
                callId,
                new Transition(
                        CallStatus.FAILED,
                        message,
                        EndReason.CONFIGURATION_ERROR,
                        null,
                        null,
                        message,
                        null,
                        null,
                        null));
    }

    public Optional<Call> recordInternalFailure(UUID callId) {
        var message = "Dialplane failed while dialing; see the server log";
        return transition(
                callId,
                new Transition(
                        CallStatus.FAILED, message, EndReason.INTERNAL_ERROR, null, null, message, null, null, null));
    }

    /**
     * Why an answered call ended, from LiveKit's disconnect reason and what Dialplane itself asked
     * for. A deleted room is Dialplane's hang-up only if Dialplane asked for it; otherwise it is
     * normally the agent ending the call. LiveKit reports its own max-duration hang-up as a plain
     * client hang-up, so the time decides that case (contract §3.4).
     */
    EndReason endReasonFor(
            Call call, CallRepository.EndMarks marks, @Nullable String disconnectReason, java.time.Instant at) {
        if (marks.requested() != null) {
            return marks.requested();
        }
        var reason = disconnectReason == null ? "UNKNOWN_REASON" : disconnectReason;
        return switch (reason) {
            case "CLIENT_INITIATED", "USER_UNAVAILABLE", "USER_REJECTED", "UNKNOWN_REASON" -> {
                if (call.transferTo() != null) {
                    yield EndReason.TRANSFERRED;
                }
                if (call.maxEndAt() != null && !at.isBefore(call.maxEndAt().minusSeconds(2))) {
                    yield EndReason.MAX_DURATION;
                }
                yield EndReason.HANGUP_BY_CALLEE;
            }
            case "ROOM_DELETED", "PARTICIPANT_REMOVED", "DUPLICATE_IDENTITY" -> EndReason.HANGUP_BY_AGENT;
            case "SIP_TRUNK_FAILURE" -> EndReason.CARRIER_ERROR;
            case "MEDIA_FAILURE" -> EndReason.MEDIA_FAILURE;
            case "AGENT_ERROR" -> EndReason.AGENT_ERROR;
            case "SERVER_SHUTDOWN" -> EndReason.LIVEKIT_UNAVAILABLE;
            case "ROOM_CLOSED" -> EndReason.ROOM_CLOSED;
            default -> EndReason.CONNECTION_LOST;
        };
    }

    /** Remembers why Dialplane is about to end a call itself (set before it deletes the room). */
    public void requestEnd(UUID callId, @Nullable EndReason reason) {
        calls.requestEnd(callId, reason);
    }

    EndReason endReasonFor(Call call, @Nullable String disconnectReason, java.time.Instant at) {
        return endReasonFor(call, calls.endMarks(call.id()), disconnectReason, at);
    }

    /**
     * The call's charge: its answered seconds at the rate it was placed with, rounded to four
     * decimals, and never more than it held.
     */
    static BigDecimal costOf(Call call) {
        var seconds = call.durationSeconds();
        if (seconds == null || seconds == 0) {
            return BigDecimal.ZERO.setScale(4); // the scale money has in the database, so every view shows it alike
        }
        var cost = call.ratePerMinute()
                .multiply(BigDecimal.valueOf(seconds))
                .divide(SECONDS_PER_MINUTE, 4, RoundingMode.HALF_UP);
        return cost.min(call.reservedCredits());
    }

    /** Records the callee's local time at the moment the call is claimed for dialing. */
    public void recordCalleeLocalTime(UUID callId, String localTime) {
        calls.setCalleeLocalTime(callId, localTime);
    }

    /**
     * Queues a scheduled call that is due: from now on it waits its turn like any queued call, and
     * its queue time counts from now.
     */
    @Transactional
    public Optional<Call> queueScheduled(UUID callId, java.time.Instant now) {
        var queued = transition(callId, Transition.to(CallStatus.QUEUED, "due: queued for dialing"));
        if (queued.isPresent()) {
            calls.markDue(callId, now);
        }
        return queued;
    }

    /** Cancels a scheduled or queued call that had not started by its {@code latest_at}. */
    @Transactional
    public Optional<Call> expireSchedule(UUID callId, java.time.Instant latestAt) {
        return transition(
                callId,
                Transition.ended(
                        CallStatus.CANCELED,
                        EndReason.SCHEDULE_EXPIRED,
                        "not started by its latest_at (" + latestAt + ")"));
    }

    /**
     * Puts a call that was not dialed after all back in the queue: the carrier refused it for
     * capacity before the phone rang, or its node lost the claim before sending the dial. Its
     * claim is released; {@code notBefore} delays the next attempt.
     *
     * @param countsAsAttempt whether the carrier saw a dial (a capacity refusal) or not (a lost claim)
     */
    @Transactional
    public Optional<Call> requeue(UUID callId, java.time.Instant notBefore, boolean countsAsAttempt, String cause) {
        var requeued = transition(callId, Transition.to(CallStatus.QUEUED, cause));
        if (requeued.isPresent()) {
            calls.releaseClaim(callId, notBefore, countsAsAttempt, null);
        }
        return requeued;
    }

    /**
     * Puts back in the queue a claimed call whose dial could not be prepared because LiveKit was
     * unreachable: nothing was sent, so it is tried again at {@code notBefore}.
     */
    @Transactional
    public Optional<Call> requeueWhileLiveKitUnreachable(UUID callId, java.time.Instant notBefore, String cause) {
        var requeued = transition(callId, Transition.to(CallStatus.QUEUED, cause));
        if (requeued.isPresent()) {
            calls.releaseClaim(callId, notBefore, false, RetryReason.LIVEKIT_UNAVAILABLE);
        }
        return requeued;
    }

    /**
     * Puts back in the queue a call the carrier refused for capacity before the phone rang, keeping
     * the refusal's SIP status on the call and its event: if its time runs out before the retry,
     * that refusal is how it ended ({@link #expireUndialed}).
     */
    @Transactional
    public Optional<Call> requeueAfterCapacityRefusal(
            UUID callId,
            java.time.Instant notBefore,
            @Nullable Integer sipStatusCode,
            @Nullable String sipStatus,
            String cause) {
        var requeued = transition(
                callId,
                new Transition(CallStatus.QUEUED, cause, null, sipStatusCode, sipStatus, null, null, null, null));
        if (requeued.isPresent()) {
            calls.releaseClaim(callId, notBefore, true, RetryReason.CARRIER_CAPACITY);
        }
        return requeued;
    }

    /**
     * Ends a call whose time ran out before it was dialed: its caller stopped waiting, or it was
     * queued longer than allowed. Nobody canceled a call that was waiting for a retry: one the
     * carrier refused for capacity ends {@code failed} / {@code carrier_capacity} with the
     * carrier's last SIP status, one that could not reach LiveKit {@code failed} /
     * {@code livekit_unavailable}. Any other such call is {@code canceled} / {@code queue_timeout}.
     */
    @Transactional
    public Optional<Call> expireUndialed(UUID callId, String cause) {
        var current = calls.findForUpdate(callId).orElseThrow(() -> new IllegalStateException("no call " + callId));
        var retried = calls.retryReason(callId);
        if (retried.isEmpty()) {
            return transition(callId, Transition.ended(CallStatus.CANCELED, EndReason.QUEUE_TIMEOUT, cause));
        }
        var message = switch (retried.get()) {
            case CARRIER_CAPACITY ->
                "the carrier refused the dial for capacity (SIP " + current.sipStatusCode() + " " + current.sipStatus()
                        + ") and the call's time ran out before its retry: " + cause;
            case LIVEKIT_UNAVAILABLE ->
                "LiveKit could not be reached to prepare the dial and the call's time ran out before "
                        + "it could be retried: " + cause;
        };
        var reason = retried.get() == RetryReason.CARRIER_CAPACITY
                ? EndReason.CARRIER_CAPACITY
                : EndReason.LIVEKIT_UNAVAILABLE;
        return transition(
                callId, new Transition(CallStatus.FAILED, message, reason, null, null, message, null, null, null));
    }

    /** LiveKit accepted the recording request: remember its egress id for the egress webhooks. */
    public void recordingStarted(UUID callId, String egressId) {
        calls.setEgressId(callId, egressId);
    }

    /** LiveKit refused to record; the call goes on without a recording. */
    public void recordingFailed(UUID callId, String error) {
        calls.updateRecording(callId, new Recording(Recording.Status.FAILED, null, null, error));
    }

    public Call get(UUID callId) {
        return calls.find(callId).orElseThrow(() -> new IllegalStateException("no call " + callId));
    }

    static CallStatus statusOf(DialFailure failure) {
        return switch (failure) {
            case BUSY -> CallStatus.BUSY;
            case NO_ANSWER -> CallStatus.NO_ANSWER;
            default -> CallStatus.FAILED;
        };
    }

    static EndReason reasonOf(DialFailure failure) {
        return switch (failure) {
            case BUSY -> EndReason.BUSY;
            case NO_ANSWER -> EndReason.NO_ANSWER;
            case DECLINED -> EndReason.DECLINED;
            case INVALID_NUMBER -> EndReason.INVALID_NUMBER;
            case TRUNK_AUTH_FAILED -> EndReason.TRUNK_AUTH_FAILED;
            case CARRIER_ERROR -> EndReason.CARRIER_ERROR;
            case CARRIER_CAPACITY -> EndReason.CARRIER_CAPACITY;
            case LIVEKIT_UNAVAILABLE -> EndReason.LIVEKIT_UNAVAILABLE;
            case LIVEKIT_REJECTED -> EndReason.LIVEKIT_REJECTED;
        };
    }
}
