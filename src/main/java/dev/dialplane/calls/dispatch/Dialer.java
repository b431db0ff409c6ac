package dev.dialplane.calls.dispatch;

import dev.dialplane.calls.Call;
import dev.dialplane.calls.CallLifecycle;
import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.RecordingOutputs;
import dev.dialplane.calls.Transition;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.crypto.SecretBox;
import dev.dialplane.livekit.DialFailure;
import dev.dialplane.livekit.DialResult;
import dev.dialplane.livekit.LiveKitClient;
import dev.dialplane.livekit.LiveKitException;
import dev.dialplane.livekit.SendSlotMissed;
import dev.dialplane.livekit.SipDialRequest;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.trunks.TrunkService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The LiveKit side of one claimed call (DESIGN.md §2 step 8): decrypt the trunk credentials in
 * memory, create the room, dispatch the agent, start the recording, then, only while this node
 * still holds the claim, record that the dial is sent and dial. A carrier refusal for capacity
 * slows the trunk and puts the call back in the queue (a bounded number of times).
 */
@Component
class Dialer {

    private static final Logger log = LoggerFactory.getLogger(Dialer.class);
    private static final Duration SEND_BOOKKEEPING_LEAD = Duration.ofMillis(30);
    private static final Duration UNREACHABLE_MIN_BACKOFF = Duration.ofSeconds(1);
    private static final Duration UNREACHABLE_MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration RESULT_RETRY_MIN_PAUSE = Duration.ofMillis(100);
    private static final Duration RESULT_RETRY_MAX_PAUSE = Duration.ofSeconds(5);
    static final String CALL_ID_ATTRIBUTE = "dialplane.call_id";
    static final String REPORT_URL_KEY = "dialplane.report_url";
    static final String REPORT_TOKEN_KEY = "dialplane.report_token";

    private final CallLifecycle lifecycle;
    private final CallClaims claims;
    private final TrunkPacing pacing;
    private final TrunkService trunks;
    private final LiveKitClient liveKit;
    private final RecordingOutputs recordings;
    private final CallOutcomes outcomes;
    private final DispatchProperties properties;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Sleeper sleeper;

    /** How a dial waits for its slot; a test's may wake late, as a loaded machine's thread does. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    @Autowired
    Dialer(
            CallLifecycle lifecycle,
            CallClaims claims,
            TrunkPacing pacing,
            TrunkService trunks,
            LiveKitClient liveKit,
            RecordingOutputs recordings,
            CallOutcomes outcomes,
            DispatchProperties properties,
            JsonMapper json,
            MeterRegistry meters,
            Clock clock) {
        this(
                lifecycle,
                claims,
                pacing,
                trunks,
                liveKit,
                recordings,
                outcomes,
                properties,
                json,
                meters,
                clock,
                Thread::sleep);
    }

    Dialer(
            CallLifecycle lifecycle,
            CallClaims claims,
            TrunkPacing pacing,
            TrunkService trunks,
            LiveKitClient liveKit,
            RecordingOutputs recordings,
            CallOutcomes outcomes,
            DispatchProperties properties,
            JsonMapper json,
            MeterRegistry meters,
            Clock clock,
            Sleeper sleeper) {
        this.lifecycle = lifecycle;
        this.claims = claims;
        this.pacing = pacing;
        this.trunks = trunks;
        this.liveKit = liveKit;
        this.recordings = recordings;
        this.outcomes = outcomes;
        this.properties = properties;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * @param paced whether the send must book a slot on its trunk; not for a call claimed in its
     *     insert transaction, whose trunk had neither a rate limit nor a pause then
     * @param prepared run once room, agent and recording are in place: what remains is waiting
     *     for the send slot and the dial itself
     * @return when the call, put back in the queue for a capacity retry, is due again; empty when
     *     the dial has an outcome (or was not this node's to make)
     */
    Optional<Instant> dial(Call call, String node, boolean paced, Runnable prepared) {
        DialResult result;
        var roomCreated = false;
        var sending = false;
        try {
            var route = trunkRoute(call);
            liveKit.createRoom(call.roomName(), metadata(call, null));
            roomCreated = true;
            // the report token goes to the agent's job only: room metadata is visible to anyone in the room
            liveKit.dispatchAgent(
                    call.roomName(),
                    Objects.requireNonNull(call.livekitAgentName(), "a voice agent has a LiveKit agent name"),
                    metadata(call, outcomes.issueReportAccess(call.id())));
            if (call.record()) {
                startRecording(call);
            }
            prepared.run();
            // paced where the carrier counts: the send, not the claim (preparing took its own time)
            // the earliest a send can go is after its bookkeeping: booked any sooner (an idle trunk's
            // "now"), the send would leave late, closer to the next one than the spacing allows
            var slot = paced
                    ? pacing.bookSend(
                            trunkOf(call), call.id(), node, clock.instant().plus(SEND_BOOKKEEPING_LEAD))
                    : clock.instant();
            // the bookkeeping before the send happens ahead of the slot, so its own latency does not
            // make this send late and bunch it with the next one at the carrier
            if (!awaitUntil(slot.minus(SEND_BOOKKEEPING_LEAD))) {
                cleanUp(call, true);
                return Optional.empty();
            }
            var now = clock.instant();
            if (call.waitDeadline() != null && !call.waitDeadline().isAfter(now)) {
                lifecycle.expireUndialed(
                        call.id(), "its caller stopped waiting before the trunk's pace allowed the dial");
                cleanUp(call, true);
                return Optional.empty();
            }
            // only the holder of a live claim dials: a claim taken back, or a call canceled meanwhile, is not
            if (!claims.markDialSent(call, node, now)) {
                log.info(
                        "Call {} is no longer this node's to dial ({}); not dialing",
                        call.id(),
                        lifecycle.get(call.id()).status());
                cleanUp(call, true);
                return Optional.empty();
            }
            DialResult dialed = null;
            while (dialed == null) {
                if (!awaitUntil(slot)) {
                    // stopping: the dial was marked sent but certainly was not, so the call goes back to the queue
                    Thread.interrupted();
                    lifecycle.requeue(call.id(), now, false, "its node stopped just before sending the dial");
                    cleanUp(call, true);
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
                now = clock.instant();
                if (paced && !Pacer.onTime(slot, now, properties.pacingTolerance())) {
                    // woken later than the tolerance (a stalled thread, a busy machine): sent now, this dial
                    // would land next to the following slot's and the carrier would count one too many in a
                    // second; it gives its slot up and books the next free one instead
                    slot = rebook(call, node, now);
                    continue;
                }
                meters.timer(
                                "dialplane.dial.send.lateness",
                                "trunk",
                                trunkOf(call).toString())
                        .record(Duration.between(slot, now));
                sending = true;
                var sample = Timer.start(meters);
                var written = true;
                try {
                    // the client checks the slot once more where it counts, right before the request is
                    // written: connections and classes set up cold held the first dials back for long
                    dialed = liveKit.dial(
                            dialRequest(
                                    call,
                                    route,
                                    call.ringingTimeoutAt(now),
                                    paced ? slot.plus(properties.pacingTolerance()) : null),
                            () -> lifecycle.transition(
                                    call.id(), Transition.to(CallStatus.RINGING, "callee's phone is ringing")));
                } catch (SendSlotMissed missed) {
                    written = false;
                    sending = false;
                    slot = rebook(call, node, clock.instant());
                    continue;
                } finally {
                    if (written) {
                        meters.counter(
                                        "dialplane.dials.started",
                                        "trunk",
                                        trunkOf(call).toString())
                                .increment();
                    }
                }
                sample.stop(meters.timer(
                        "dialplane.dial.latency",
                        "outcome",
                        dialed instanceof DialResult.Answered ? "answered" : "not_answered"));
            }
            result = dialed;
        } catch (LiveKitException e) {
            if ((!sending || e.nothingSent()) && e.failure() == DialFailure.LIVEKIT_UNAVAILABLE) {
                // nothing reached the carrier: the call waits and tries again, within its own time
                cleanUp(call, roomCreated);
                return retryWhileLiveKitUnreachable(call, e.getMessage());
            }
            result = new DialResult.Failed(e.failure(), null, null, e.getMessage());
        } catch (DataAccessException | TransactionException e) {
            if (sending) {
                throw e;
            }
            // the database failed before the dial was sent: nobody was called, so the call goes back
            // to the queue; if the database cannot take even that, its claim's lease expiring does it
            log.warn(
                    "Call {}: database error before the dial was sent ({}); back to the queue",
                    call.id(),
                    e.getMessage());
            cleanUp(call, roomCreated);
            return requeueAfterDatabaseError(call);
        } catch (ApiException | SecretBox.SecretUnreadable e) {
            // the trunk was deleted, or its password was encrypted under a master key no longer configured
            lifecycle.recordConfigurationFailure(call.id(), "cannot dial: " + e.getMessage());
            cleanUp(call, roomCreated);
            return Optional.empty();
        } catch (RuntimeException e) {
            log.error("Call {}: dialing failed unexpectedly", call.id(), e);
            lifecycle.recordInternalFailure(call.id());
            cleanUp(call, roomCreated);
            return Optional.empty();
        }
        if (result instanceof DialResult.Failed failed && failed.failure() == DialFailure.CARRIER_CAPACITY) {
            return carrierAtCapacity(call, failed, roomCreated);
        }
        if (!(result instanceof DialResult.Failed failed && failed.failure() == DialFailure.LIVEKIT_UNAVAILABLE)) {
            pacing.dialAccepted(trunkOf(call));
        }
        Optional<Call> recorded;
        try {
            recorded = recordDialResult(call, result);
        } catch (DataAccessException | TransactionException e) {
            return Optional.empty(); // not written: the supervisor settles the call by asking LiveKit
        }
        if (result instanceof DialResult.Failed failed) {
            log.info("Call {} not connected: {}", call.id(), failed.message());
            cleanUp(call, roomCreated);
        } else if (recorded.isEmpty() && lifecycle.get(call.id()).status() != CallStatus.IN_PROGRESS) {
            // answered after the call was given up on (answer timeout, cancel): hang up. Not when the
            // answer was recorded meanwhile by the supervisor, which asked LiveKit: the callee talks
            cleanUp(call, true);
        }
        return Optional.empty();
    }

    /**
     * LiveKit could not be reached while the dial was prepared or sent, and nothing reached it.
     * The call goes back to the queue and is tried again after a backoff of its age so far (1 s at
     * least, 30 s at most), as long as that is within its caller's wait and {@code unreachable-retry-window} of its placing; after
     * that it ends {@code failed} / {@code livekit_unavailable}.
     */
    private Optional<Instant> retryWhileLiveKitUnreachable(Call call, String message) {
        var now = clock.instant();
        var delay = Duration.between(call.createdAt(), now);
        delay = delay.compareTo(UNREACHABLE_MIN_BACKOFF) < 0
                ? UNREACHABLE_MIN_BACKOFF
                : delay.compareTo(UNREACHABLE_MAX_BACKOFF) > 0 ? UNREACHABLE_MAX_BACKOFF : delay;
        var due = now.plus(delay);
        var giveUpAt = call.createdAt().plus(properties.unreachableRetryWindow());
        if (call.waitDeadline() != null && call.waitDeadline().isBefore(giveUpAt)) {
            giveUpAt = call.waitDeadline();
        }
        if (due.isAfter(giveUpAt)) {
            lifecycle.recordDialResult(
                    call.id(),
                    new DialResult.Failed(
                            DialFailure.LIVEKIT_UNAVAILABLE,
                            null,
                            null,
                            "LiveKit could not be reached to prepare or send the dial (" + message + "); tried for "
                                    + Duration.between(call.createdAt(), now).toSeconds() + " s, nothing was sent"));
            return Optional.empty();
        }
        var requeued = lifecycle.requeueWhileLiveKitUnreachable(
                call.id(),
                due,
                "LiveKit unreachable before the dial was sent (" + message + "); retry in " + delay.toMillis() + " ms");
        return requeued.isPresent() ? Optional.of(due) : Optional.empty();
    }

    private Optional<Instant> requeueAfterDatabaseError(Call call) {
        var due = clock.instant().plus(UNREACHABLE_MIN_BACKOFF);
        try {
            return lifecycle
                    .requeue(call.id(), due, false, "database error before the dial was sent; nobody was called")
                    .map(requeued -> due);
        } catch (DataAccessException | TransactionException e) {
            log.warn(
                    "Call {}: could not requeue it yet ({}); its claim's lease returns it to the queue",
                    call.id(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Records what LiveKit answered, retrying while the database fails: the outcome of a dial that
     * was sent (an answered callee, above all) is never lost to a passing database error. Gives up
     * only when the call could no longer be live (its ringing and maximum duration are over) or the
     * node stops, throwing the last error; the supervisor then settles the call by asking LiveKit.
     */
    private Optional<Call> recordDialResult(Call call, DialResult result) {
        var giveUpAt = clock.instant()
                .plusSeconds(
                        call.options().ringingTimeoutSeconds() + call.options().maxCallDurationSeconds());
        var pause = RESULT_RETRY_MIN_PAUSE;
        while (true) {
            try {
                return lifecycle.recordDialResult(call.id(), result);
            } catch (DataAccessException | TransactionException e) {
                if (clock.instant().isAfter(giveUpAt)) {
                    log.error(
                            "Call {}: could not record the dial's outcome ({}); leaving it to the supervisor",
                            call.id(),
                            e.getMessage());
                    throw e;
                }
                log.warn(
                        "Call {}: recording the dial's outcome failed ({}); retrying in {} ms",
                        call.id(),
                        e.getMessage(),
                        pause.toMillis());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = pause.multipliedBy(2).compareTo(RESULT_RETRY_MAX_PAUSE) > 0
                        ? RESULT_RETRY_MAX_PAUSE
                        : pause.multipliedBy(2);
            }
        }
    }

    /** Waits for the booked send slot; false if interrupted (the claim then lapses and the call is requeued). */
    private boolean awaitUntil(Instant moment) {
        var wait = Duration.between(clock.instant(), moment);
        if (!wait.isPositive()) {
            return true;
        }
        try {
            sleeper.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The carrier refused the dial for capacity before the phone rang: nobody was called, so the
     * call is retried later (not counted as the callee's no-answer), up to the configured number of
     * times; the trunk slows down meanwhile. The refusal's SIP status stays on the call, so a call
     * whose time runs out before its retry ends saying what the carrier answered.
     */
    private Optional<Instant> carrierAtCapacity(Call call, DialResult.Failed failed, boolean roomCreated) {
        var now = clock.instant();
        pacing.capacityRejected(trunkOf(call), now);
        cleanUp(call, roomCreated);
        if (call.dialAttempts() < properties.capacityRetries()) {
            var delay = properties.capacityRetryDelay().multipliedBy(1L << call.dialAttempts());
            var due = now.plus(delay);
            var requeued = lifecycle.requeueAfterCapacityRefusal(
                    call.id(),
                    due,
                    failed.sipStatusCode(),
                    failed.sipStatus(),
                    "carrier at capacity (" + failed.message() + "); retry " + (call.dialAttempts() + 1) + " of "
                            + properties.capacityRetries() + " in " + delay.toSeconds() + " s");
            if (requeued.isPresent()) {
                return Optional.of(due);
            }
            // the phone was reported ringing (or the call ended meanwhile): a call never goes back to
            // the queue after ringing, so the refusal is its outcome
            return endedForCapacity(
                    call, failed, "carrier at capacity after the phone was reported ringing, so not retried: ");
        }
        return endedForCapacity(call, failed, "carrier at capacity on " + (call.dialAttempts() + 1) + " attempts: ");
    }

    /** The carrier's capacity refusal is the call's outcome, with its SIP status. */
    private Optional<Instant> endedForCapacity(Call call, DialResult.Failed failed, String why) {
        lifecycle.recordDialResult(
                call.id(),
                new DialResult.Failed(
                        DialFailure.CARRIER_CAPACITY,
                        failed.sipStatusCode(),
                        failed.sipStatus(),
                        why + failed.message()));
        return Optional.empty();
    }

    /** Recording is best effort: a call is never failed because LiveKit would not record it. */
    private void startRecording(Call call) {
        try {
            lifecycle.recordingStarted(call.id(), liveKit.startRecording(call.roomName(), recordings.outputFor(call)));
        } catch (LiveKitException e) {
            log.warn("Call {}: recording not started: {}", call.id(), e.getMessage());
            lifecycle.recordingFailed(call.id(), e.getMessage());
        }
    }

    /** A call is stored with its caller number's trunk; only a dispatched call is dialed. */
    private static UUID trunkOf(Call call) {
        return Objects.requireNonNull(call.sipTrunkId(), "a dispatched call has a trunk");
    }

    private SipDialRequest.TrunkRoute trunkRoute(Call call) {
        var dialing = trunks.forDialing(new Tenant(call.organizationId()), trunkOf(call));
        var trunk = dialing.trunk();
        if (trunk.livekitTrunkId() != null) {
            return new SipDialRequest.StoredTrunk(trunk.livekitTrunkId());
        }
        var credentials = dialing.credentials();
        return new SipDialRequest.InlineTrunk(
                Objects.requireNonNull(trunk.address(), "a trunk without a LiveKit trunk id has an address"),
                trunk.transport().toString(),
                credentials.username(),
                credentials.password(),
                trunk.destinationCountry());
    }

    /** Gives a missed send slot up for the trunk's next free one (counted: dialplane_dials_rebooked_total). */
    private Instant rebook(Call call, String node, Instant now) {
        meters.counter("dialplane.dials.rebooked", "trunk", trunkOf(call).toString())
                .increment();
        return pacing.bookSend(trunkOf(call), call.id(), node, now.plus(SEND_BOOKKEEPING_LEAD));
    }

    private static SipDialRequest dialRequest(
            Call call, SipDialRequest.TrunkRoute route, Duration ringing, @Nullable Instant sendBy) {
        var options = call.options();
        return new SipDialRequest(
                call.roomName(),
                call.participantIdentity(),
                options.hidePhoneNumber() ? "Callee" : call.toNumber(),
                Map.of(CALL_ID_ATTRIBUTE, call.id().toString(), "dialplane.direction", Call.DIRECTION),
                call.toNumber(),
                call.fromNumber(),
                route,
                options.krispEnabled(),
                options.dtmf(),
                options.playDialtone(),
                options.mediaEncryption(),
                ringing.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : ringing,
                Duration.ofSeconds(options.maxCallDurationSeconds()),
                options.hidePhoneNumber(),
                options.displayName(),
                options.customHeaders(),
                sendBy);
    }

    /**
     * What the room gets as its metadata ({@code report} null) and the agent as its job metadata:
     * the latter also says where and with what token to report the call's outcome
     * ({@code dialplane.report_url}, {@code dialplane.report_token}).
     */
    private String metadata(Call call, CallOutcomes.@Nullable ReportAccess report) {
        ObjectNode node = json.createObjectNode();
        node.put("call_id", call.id().toString());
        node.put("agent_id", call.agentId().toString());
        node.put("direction", Call.DIRECTION);
        node.put("from_number", call.fromNumber());
        node.put("to_number", call.toNumber());
        node.set("context", call.context() != null ? json.readTree(call.context()) : json.createObjectNode());
        if (report != null) {
            node.put(REPORT_URL_KEY, report.url());
            node.put(REPORT_TOKEN_KEY, report.token());
        }
        return json.writeValueAsString(node);
    }

    /** Removes the room of a call that will not go on, so a dispatched agent does not linger in it. */
    private void cleanUp(Call call, boolean roomCreated) {
        if (!roomCreated) {
            return;
        }
        try {
            liveKit.deleteRoom(call.roomName());
        } catch (LiveKitException e) {
            log.warn("Call {}: could not delete room {}: {}", call.id(), call.roomName(), e.getMessage());
        }
    }
}
