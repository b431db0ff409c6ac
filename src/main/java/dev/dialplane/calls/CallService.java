package dev.dialplane.calls;

import dev.dialplane.agents.Agent;
import dev.dialplane.agents.AgentService;
import dev.dialplane.calls.dispatch.CallDispatcher;
import dev.dialplane.calls.dispatch.QueueEstimates;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.E164;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.compliance.AttemptCaps;
import dev.dialplane.compliance.CalleeTimeZones;
import dev.dialplane.compliance.CallingWindows;
import dev.dialplane.compliance.CompliancePolicyService;
import dev.dialplane.compliance.DoNotCallList;
import dev.dialplane.livekit.LiveKitClient;
import dev.dialplane.livekit.LiveKitException;
import dev.dialplane.numbers.NumberService;
import dev.dialplane.numbers.PhoneNumber;
import dev.dialplane.orgs.Organization;
import dev.dialplane.orgs.OrganizationService;
import dev.dialplane.orgs.Tenant;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Placing and following calls: the rules both API dialects share (DESIGN.md §2). Controllers only
 * translate their dialect to {@link PlaceCall} and the resulting {@link Call} back.
 */
@Service
public class CallService {

    private static final Logger log = LoggerFactory.getLogger(CallService.class);
    private static final int MAX_ROOM_NAME_ATTEMPTS = 30;
    /**
     * When a client may try again after LiveKit did not answer: long enough for a restart or a
     * network blip to pass, short enough for a caller who waits.
     */
    public static final Duration TELEPHONY_RETRY_AFTER = Duration.ofSeconds(5);
    /** A scheduled call that could not start before its {@code latest_at}. */
    public static final String SCHEDULE_UNREACHABLE = "SCHEDULE_UNREACHABLE";

    private final CallRepository calls;
    private final CallEventLog history;
    private final CallLifecycle lifecycle;
    private final CallWaiters waiters;
    private final CallDispatcher dispatcher;
    private final QueueEstimates queue;
    private final AgentService agents;
    private final NumberService numbers;
    private final OrganizationService organizations;
    private final LiveKitClient liveKit;
    private final TransactionTemplate transactions;
    private final CallingWindows windows;
    private final CompliancePolicyService policies;
    private final CallMetrics metrics;
    private final DoNotCallList doNotCall;
    private final Clock clock;

    CallService(
            CallRepository calls,
            CallEventLog history,
            CallLifecycle lifecycle,
            CallWaiters waiters,
            CallDispatcher dispatcher,
            QueueEstimates queue,
            AgentService agents,
            NumberService numbers,
            OrganizationService organizations,
            LiveKitClient liveKit,
            TransactionTemplate transactions,
            CallingWindows windows,
            CompliancePolicyService policies,
            CallMetrics metrics,
            DoNotCallList doNotCall,
            Clock clock) {
        this.calls = calls;
        this.history = history;
        this.lifecycle = lifecycle;
        this.waiters = waiters;
        this.dispatcher = dispatcher;
        this.queue = queue;
        this.agents = agents;
        this.numbers = numbers;
        this.organizations = organizations;
        this.liveKit = liveKit;
        this.transactions = transactions;
        this.windows = windows;
        this.policies = policies;
        this.metrics = metrics;
        this.doNotCall = doNotCall;
        this.clock = clock;
    }

    /**
     * Checks everything that can be checked before a phone rings, stores the call as queued, and
     * hands it to the dispatcher. Returns the call as it stands after dispatch.
     */
    public Call place(PlaceCall request) {
        var tenant = request.tenant();
        var parties = parties(request);
        var caller = parties.caller();
        var agent = parties.agent();
        requireVoice(agent);
        if (request.idempotencyKey() != null) {
            // a request with this key already stored its call (its node may have died before
            // answering): that call is the answer, and it is never dialed a second time
            var stored = calls.findByIdempotencyKey(tenant.organizationId(), request.idempotencyKey());
            if (stored.isPresent()) {
                return stored.get();
            }
        }
        // the callee's calling window, in every zone the callee may be in: a refused call is not stored
        var zones = zones(request);
        Call persisted;
        @Nullable Instant due;
        try {
            due = due(request, zones, clock.instant());
            checkDoNotCall(tenant.organizationId(), request.toNumber());
            persisted = persist(request, agent, caller, zones, due);
        } catch (ApiException e) {
            metrics.refused(e.code());
            throw e;
        } catch (DuplicateKeyException e) {
            if (request.idempotencyKey() == null || !isViolationOf(e, "calls_idempotency_unique")) {
                throw e;
            }
            // a concurrent request with the same key stored it first
            return calls.findByIdempotencyKey(tenant.organizationId(), request.idempotencyKey())
                    .orElseThrow(() -> e);
        }
        if (persisted.status() == CallStatus.SCHEDULED && due != null) {
            dispatcher.scheduled(due);
            return persisted;
        }
        return dispatcher.dispatch(persisted);
    }

    /**
     * When the call is due: null to queue it now, else the instant a scheduled call becomes due (its
     * {@code schedule_at}, or the next opening of its callee's calling window, whichever is later).
     *
     * @throws ApiException the call may not be made now and was not asked to wait, may never be made
     *     (no zone known, zones whose windows never overlap), or cannot start before its latest_at
     */
    private @Nullable Instant due(PlaceCall request, List<ZoneId> zones, Instant now) {
        var schedule = request.schedule();
        var scheduling = schedule != null && (schedule.at() != null || schedule.withinCallingWindow());
        var from = schedule != null && schedule.at() != null && schedule.at().isAfter(now) ? schedule.at() : now;
        var verdict = windows.check(request.tenant().organizationId(), zones, from);
        Instant due;
        if (verdict.allowed()) {
            due = from.equals(now) ? null : from;
        } else if (scheduling && verdict.nextAllowedAt() != null) {
            due = verdict.nextAllowedAt();
        } else {
            throw CallingWindows.refusal(verdict, request.toNumber(), from);
        }
        var latest = schedule == null ? null : schedule.latestAt();
        if (latest != null && !(due == null ? now : due).isBefore(latest)) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    SCHEDULE_UNREACHABLE,
                    "The call cannot start before its latest_at (" + latest + "): the earliest it may start is " + due
                            + (verdict.allowed() ? "." : ", when the callee's calling window opens."));
        }
        return due;
    }

    private static void requireVoice(Agent agent) {
        if (!agent.architecture().isVoice()) {
            throw ApiException.badRequest(
                    "TEXT_AGENT_NOT_SUPPORTED",
                    "Agent '" + agent.name()
                            + "' uses the text architecture; only pipeline and realtime agents can make voice calls.");
        }
    }

    /** The zones the callee may be in: the client's, or those derived from the number. */
    private static List<ZoneId> zones(PlaceCall request) {
        return request.calleeTimezone() == null
                ? CalleeTimeZones.of(request.toNumber())
                : List.of(request.calleeTimezone());
    }

    /**
     * What {@link #place} would do with this request, by the same checks, without storing or
     * dialing anything: every reason it would be refused (not only the first), or whether it would
     * be dialed at once, queued or scheduled, and when it should start.
     */
    public Preflight preflight(PlaceCall request) {
        var organizationId = request.tenant().organizationId();
        var reasons = new java.util.ArrayList<ApiException>();
        PhoneNumber caller = null;
        try {
            var parties = parties(request);
            requireVoice(parties.agent());
            caller = parties.caller();
        } catch (ApiException e) {
            reasons.add(e);
        }
        var zones = zones(request);
        var now = clock.instant();
        Instant due = null;
        Instant nextAllowed = null;
        try {
            due = due(request, zones, now);
        } catch (ApiException e) {
            reasons.add(e);
            nextAllowed = nextAllowedAt(e);
        }
        try {
            checkDoNotCall(organizationId, request.toNumber());
        } catch (ApiException e) {
            reasons.add(e);
        }
        try {
            checkAttemptCaps(
                    organizationId, policies.policy(organizationId).maxAttemptsPerNumber(), request.toNumber(), now);
        } catch (ApiException e) {
            reasons.add(e);
            var capped = nextAllowedAt(e);
            if (capped != null && (nextAllowed == null || capped.isAfter(nextAllowed))) {
                nextAllowed = capped;
            }
        }
        var organization = organizations.get(organizationId);
        try {
            organizations.checkCredits(
                    organizationId,
                    reservation(organization, request.options()),
                    reservationReason(organization, request.options()));
        } catch (ApiException e) {
            reasons.add(e);
        }
        String would;
        Instant startAt = null;
        Long position = null;
        if (!reasons.isEmpty()) {
            would = Preflight.REFUSE;
        } else if (due != null) {
            would = Preflight.SCHEDULE;
            startAt = due;
        } else {
            var trunk = java.util.Objects.requireNonNull(caller, "found above").sipTrunkId();
            var outlook = trunk == null ? null : queue.outlook(trunk, organizationId, now);
            would = outlook == null || outlook.dialNow() ? Preflight.DIAL_NOW : Preflight.QUEUE;
            startAt = outlook == null ? now : outlook.estimatedStartAt();
            position = outlook == null || outlook.dialNow() ? null : outlook.position();
        }
        return new Preflight(
                reasons.isEmpty(),
                would,
                reasons.stream()
                        .map(e -> new Preflight.Reason(
                                e.code(), java.util.Objects.requireNonNullElse(e.getMessage(), e.code())))
                        .toList(),
                CallingWindows.ids(zones),
                CallingWindows.localTime(zones, due == null ? now : due),
                nextAllowed,
                startAt,
                position,
                organization.ratePerMinute());
    }

    private static @Nullable Instant nextAllowedAt(ApiException e) {
        return e.properties().get("next_allowed_at") instanceof String at ? Instant.parse(at) : null;
    }

    /** Refuses a call to a number on the organization's do-not-call list while it enforces the list. */
    private void checkDoNotCall(UUID organizationId, String toNumber) {
        if (doNotCall.blocks(organizationId, toNumber)) {
            throw DoNotCallList.refusal(toNumber);
        }
    }

    /**
     * Refuses a call to {@code toNumber} over the organization's attempt caps. Run under the
     * organization's row lock when placing, so concurrent placements count each other.
     */
    private void checkAttemptCaps(UUID organizationId, @Nullable AttemptCaps caps, String toNumber, Instant now) {
        if (caps == null) {
            return;
        }
        var attempts = calls.attemptTimes(organizationId, toNumber, now.minus(AttemptCaps.lookBack()), now);
        var allowedAt = caps.nextAllowed(attempts, now);
        if (allowedAt.isPresent()) {
            throw caps.refusal(toNumber, attempts.size(), allowedAt.get(), now);
        }
    }

    /** The credits a call holds while it is live: its longest possible duration at the organization's rate. */
    private static BigDecimal reservation(Organization organization, CallOptions options) {
        return organization
                .ratePerMinute()
                .multiply(BigDecimal.valueOf(options.maxCallDurationSeconds()))
                .divide(BigDecimal.valueOf(60), 4, java.math.RoundingMode.UP);
    }

    private static String reservationReason(Organization organization, CallOptions options) {
        return "up to " + options.maxCallDurationSeconds() + " s at "
                + organization.ratePerMinute().stripTrailingZeros().toPlainString() + " per minute";
    }

    private static boolean isViolationOf(DuplicateKeyException e, String constraint) {
        return String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains(constraint);
    }

    public Call get(Tenant tenant, UUID id) {
        return calls.find(tenant.organizationId(), id).orElseThrow(() -> notFound(id));
    }

    /** How many of the organization's calls match (Studio's overview counts). */
    public long count(Tenant tenant, CallFilter filter) {
        return calls.count(tenant.organizationId(), filter);
    }

    public Page<Call> list(Tenant tenant, CallFilter filter, PageRequest page) {
        return Page.of(
                calls.list(tenant.organizationId(), filter, page),
                page.limit(),
                c -> new Cursor(c.createdAt(), c.id()));
    }

    /**
     * One page of an agent's calls from {@code offset} on, newest first, with how many match in
     * all (MrAssistant's {@code GET /calls/agent/{agent_id}/calls}); {@code inbound} asks for
     * inbound calls, of which there are none.
     *
     * @throws ApiException 404 AGENT_NOT_FOUND when the agent is not one of the organization's
     */
    public AgentCalls listForAgent(
            Tenant tenant, UUID agentId, boolean inbound, CallFilter filter, int offset, int limit) {
        agents.get(tenant, agentId);
        if (inbound) {
            return new AgentCalls(List.of(), 0); // Dialplane places outbound calls only
        }
        var scoped =
                new CallFilter(filter.statuses(), agentId, null, null, filter.createdAfter(), filter.createdBefore());
        var organizationId = tenant.organizationId();
        return new AgentCalls(
                calls.listFrom(organizationId, scoped, offset, limit), calls.count(organizationId, scoped));
    }

    /** A page of an agent's calls and the number of calls its filter matches. */
    public record AgentCalls(List<Call> calls, long total) {}

    /**
     * Ends a call: a live one is hung up (LiveKit deletes its room, the callee gets a BYE) and
     * completed; one not yet answered is canceled (a ringing phone stops). LiveKit is asked first,
     * so a call is never recorded as ended while it goes on.
     *
     * @throws ApiException 409 for a call that already ended; 503 when LiveKit cannot be reached
     */
    public Call hangUp(Tenant tenant, UUID id) {
        var call = get(tenant, id);
        if (call.status().isTerminal()) {
            throw alreadyEnded(call);
        }
        if (call.status() != CallStatus.QUEUED && call.status() != CallStatus.SCHEDULED) {
            lifecycle.requestEnd(id, EndReason.HANGUP_API);
            try {
                liveKit.deleteRoom(call.roomName());
            } catch (LiveKitException e) {
                lifecycle.requestEnd(id, null);
                throw new ApiException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "TELEPHONY_UNAVAILABLE",
                                "The call could not be hung up because LiveKit did not respond (" + e.getMessage()
                                        + "); it is unchanged. Try again.")
                        .retryAfter(TELEPHONY_RETRY_AFTER);
            }
        }
        var ending = call.status() == CallStatus.IN_PROGRESS
                ? Transition.ended(CallStatus.COMPLETED, EndReason.HANGUP_API, "hung up through the API")
                : Transition.ended(
                        CallStatus.CANCELED,
                        EndReason.HANGUP_API,
                        call.status() == CallStatus.SCHEDULED
                                ? "canceled through the API before it was due"
                                : "canceled through the API before it was answered");
        return lifecycle.transition(id, ending).orElseGet(() -> lifecycle.get(id));
    }

    /**
     * Transfers an answered call with a SIP REFER. The callee's leg then leaves the room, which
     * completes the call with end_reason {@code transferred}.
     */
    public Call transfer(Tenant tenant, UUID id, String transferTo, boolean playDialtone) {
        var call = get(tenant, id);
        if (call.status() != CallStatus.IN_PROGRESS) {
            throw call.status().isTerminal()
                    ? alreadyEnded(call)
                    : ApiException.conflict(
                            "CALL_NOT_ANSWERED",
                            "Only an answered call can be transferred; this one is " + call.status() + ".");
        }
        calls.setTransferTo(id, transferTo);
        try {
            liveKit.transfer(call.roomName(), call.participantIdentity(), transferTo, playDialtone);
        } catch (LiveKitException e) {
            calls.clearTransferTo(id);
            if (e.failure() == dev.dialplane.livekit.DialFailure.LIVEKIT_UNAVAILABLE) {
                throw new ApiException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "TELEPHONY_UNAVAILABLE",
                                "LiveKit did not respond to the transfer (" + e.getMessage()
                                        + "); the call goes on. Try again.")
                        .retryAfter(TELEPHONY_RETRY_AFTER);
            }
            var sip = e.sipStatusCode() == null ? "" : " (SIP " + e.sipStatusCode() + ")";
            throw new ApiException(
                    HttpStatus.BAD_GATEWAY,
                    "TRANSFER_FAILED",
                    "The transfer to " + transferTo + " failed" + sip + ": " + e.getMessage() + ". The call goes on.",
                    List.of(),
                    e.sipStatusCode() == null
                            ? java.util.Map.of()
                            : java.util.Map.of("sip_status_code", e.sipStatusCode()));
        }
        return lifecycle.get(id);
    }

    private static ApiException alreadyEnded(Call call) {
        return ApiException.conflict("CALL_ALREADY_ENDED", "The call already ended (" + call.status() + ").");
    }

    public List<CallEvent> events(Tenant tenant, UUID id) {
        get(tenant, id);
        return history.events(id);
    }

    /**
     * Waits until the call is answered or over, at most {@code timeout}. Returns the call as it
     * then is; a call still dialing after the timeout is returned as it is.
     */
    public Call awaitOutcome(Call call, Duration timeout) {
        var future = waiters.register(call.id());
        try {
            // registered first, then read: an outcome committed in between is not missed
            var current = lifecycle.get(call.id());
            if (current.status().isOutcome()) {
                return current;
            }
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return lifecycle.get(call.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lifecycle.get(call.id());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            waiters.forget(call.id(), future);
        }
    }

    /**
     * Gives up on a call whose caller stopped waiting for the answer: records it as not answered
     * and hangs up the ringing phone, so nobody is connected to an agent the caller gave up on.
     * Returns the call's final state, which is "answered" if the answer won the race.
     */
    public Call abandonUnanswered(Call call, String cause) {
        if (answeredAtLiveKit(call)) {
            // the callee is talking and the answer is not recorded yet (its write is being retried
            // after a database error): a call is never ended on the strength of a write that failed
            log.warn(
                    "Call {}: LiveKit reports the callee answered though Dialplane has not recorded it yet; not hanging up",
                    call.id());
            return lifecycle.get(call.id());
        }
        lifecycle.requestEnd(call.id(), EndReason.ANSWER_TIMEOUT);
        var ended = lifecycle.transition(
                call.id(), Transition.ended(CallStatus.NO_ANSWER, EndReason.ANSWER_TIMEOUT, cause));
        if (ended.isPresent()) {
            try {
                liveKit.deleteRoom(call.roomName());
            } catch (LiveKitException e) {
                log.warn(
                        "Call {}: could not delete room {} after the answer timeout: {}",
                        call.id(),
                        call.roomName(),
                        e.getMessage());
            }
            return ended.get();
        }
        return lifecycle.get(call.id());
    }

    /**
     * Waits for the answer on behalf of a caller that asked to, within the call's own deadline
     * (the ringing timeout, DTMF time, plus {@code grace} for LiveKit's answer to arrive). A call
     * still queued then is canceled, not dialed later; one still ringing is hung up.
     */
    public Call awaitAnswer(Call placed, Duration grace) {
        var deadline = placed.waitDeadline() == null
                ? clock.instant().plus(answerWindow(placed.options()))
                : placed.waitDeadline();
        var call = awaitOutcome(placed, Duration.between(clock.instant(), deadline.plus(grace)));
        if (call.status() == CallStatus.QUEUED) {
            return lifecycle
                    .expireUndialed(call.id(), "no line was free before its caller stopped waiting")
                    .orElseGet(() -> awaitAnswer(lifecycle.get(call.id()), grace));
        }
        if (!call.status().isOutcome()) {
            var abandoned = abandonUnanswered(call, "no answer within the caller's wait");
            // answered at LiveKit, not yet recorded: the caller gets the answer once it is
            return abandoned.status().isOutcome() ? abandoned : awaitOutcome(abandoned, grace);
        }
        return call;
    }

    /** Whether LiveKit has the call's callee answered (false when LiveKit cannot say). */
    private boolean answeredAtLiveKit(Call call) {
        if (call.status() != CallStatus.DIALING && call.status() != CallStatus.RINGING) {
            return false;
        }
        try {
            return liveKit.sipParticipant(call.roomName(), call.participantIdentity())
                    .map(dev.dialplane.livekit.SipParticipantState::answered)
                    .orElse(false);
        } catch (LiveKitException e) {
            return false;
        }
    }

    /** How long a caller waits for the answer: the ringing timeout and the DTMF time. */
    static Duration answerWindow(CallOptions options) {
        var dtmf = options.dtmf() == null ? 0 : options.dtmf().length() * 500L;
        return Duration.ofSeconds(options.ringingTimeoutSeconds()).plusMillis(dtmf);
    }

    /**
     * How busy one of the organization's own trunks is now (Studio's trunk page). A shared trunk's
     * load is every organization's, so it is not shown to any one of them: empty.
     */
    public java.util.Optional<TrunkLoad> trunkLoad(Tenant tenant, dev.dialplane.trunks.SipTrunk trunk) {
        if (trunk.shared() || !tenant.organizationId().equals(trunk.organizationId())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(queue.load(trunk.id(), clock.instant()));
    }

    /** Where a queued call stands: its place and, on a rate-limited trunk, when it should start. */
    public record QueueEstimate(long position, @Nullable Instant estimatedStartAt) {}

    public java.util.Optional<QueueEstimate> queueEstimate(Call call) {
        if (call.status() != CallStatus.QUEUED) {
            return java.util.Optional.empty();
        }
        try {
            var position = queue.position(call);
            if (position == null) {
                return java.util.Optional.empty();
            }
            var spacing = call.sipTrunkId() == null ? null : queue.spacing(call.sipTrunkId());
            return java.util.Optional.of(new QueueEstimate(
                    position, spacing == null ? null : clock.instant().plus(spacing.multipliedBy(position))));
        } catch (org.springframework.dao.DataAccessException | org.springframework.transaction.TransactionException e) {
            // an estimate is a courtesy: the call exists, and its creation must not look failed
            log.warn("Call {}: no queue estimate ({})", call.id(), e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** The caller number and the agent of a call; the number is looked up first when it is given. */
    private record Parties(PhoneNumber caller, Agent agent) {}

    private Parties parties(PlaceCall request) {
        var tenant = request.tenant();
        if (request.fromNumber() != null) {
            var caller = numbers.findByNumber(tenant, request.fromNumber())
                    .orElseThrow(
                            () -> ApiException.notFound(
                                    "PHONE_NUMBER_NOT_FOUND",
                                    "from_number " + request.fromNumber()
                                            + " is not registered in your organization; register it under /phone-numbers first."));
            if (request.agentId() != null) {
                return new Parties(caller, agents.get(tenant, request.agentId()));
            }
            if (caller.outboundAgentId() == null) {
                throw ApiException.badRequest(
                        "NO_OUTBOUND_AGENT",
                        caller.number() + " has no outbound agent assigned; assign one with PATCH /phone-numbers/"
                                + caller.id() + ".");
            }
            return new Parties(caller, agents.get(tenant, caller.outboundAgentId()));
        }
        var agentId = request.agentId();
        if (agentId == null) {
            throw new IllegalArgumentException("a call needs a from number or an agent");
        }
        var agent = agents.get(tenant, agentId);
        var caller = numbers.findForOutboundAgent(tenant, agentId)
                .orElseThrow(() -> ApiException.badRequest(
                        "NO_CALLER_NUMBER",
                        "No phone number in your organization has agent " + agentId
                                + " as its outbound agent; pass from_number, or assign the agent to a number."));
        return new Parties(caller, agent);
    }

    /**
     * Stores the call in its own transaction before anything is dialed (claimed for dialing in that
     * transaction already when its trunk and organization have no limits). The room name is
     * {@code outbound_{agentId}_{toDigits}_{epochSeconds}} as the TalkifAI seed defines it; two calls
     * from one agent to one number within a second would share a room, so the later one takes the
     * next free second instead and each call keeps a room of its own in the documented format. The
     * unique constraint on room names decides which second is free, also between concurrent requests.
     */
    private Call persist(
            PlaceCall request, Agent agent, PhoneNumber caller, List<ZoneId> zones, @Nullable Instant due) {
        var now = clock.instant();
        for (int attempt = 0; attempt < MAX_ROOM_NAME_ATTEMPTS; attempt++) {
            var roomName = "outbound_" + agent.id() + "_" + E164.digits(request.toNumber()) + "_"
                    + (now.getEpochSecond() + attempt);
            try {
                return transactions.execute(status -> insert(request, agent, caller, roomName, now, zones, due));
            } catch (DuplicateKeyException e) {
                if (!isViolationOf(e, "calls_room_name_unique")) {
                    throw e;
                }
                log.debug("Room {} is taken, trying the next second", roomName);
            }
        }
        throw ApiException.conflict(
                        "TOO_MANY_CALLS",
                        "Too many calls from this agent to " + request.toNumber()
                                + " were placed in the last seconds; try again shortly.")
                // the next second frees a room name
                .retryAfter(Duration.ofSeconds(1));
    }

    private Call insert(
            PlaceCall request,
            Agent agent,
            PhoneNumber caller,
            String roomName,
            Instant now,
            List<ZoneId> zones,
            @Nullable Instant due) {
        var id = UUID.randomUUID();
        var caps = policies.policy(request.tenant().organizationId()).maxAttemptsPerNumber();
        var organization = caps == null
                ? organizations.get(request.tenant().organizationId())
                // the lock makes concurrent placements of the organization count each other's calls
                : organizations.lockForPlacement(request.tenant().organizationId());
        checkAttemptCaps(organization.id(), caps, request.toNumber(), now);
        var reservation = reservation(organization, request.options());
        organizations.reserve(organization.id(), reservation, reservationReason(organization, request.options()));
        var record = request.record() || agent.record() || caller.record();
        var call = new Call(
                id,
                request.tenant().organizationId(),
                request.dialect(),
                agent.id(),
                agent.name(),
                agent.livekitAgentName(),
                caller.id(),
                caller.sipTrunkId(),
                caller.number(),
                request.toNumber(),
                roomName,
                due == null ? CallStatus.QUEUED : CallStatus.SCHEDULED,
                null,
                null,
                null,
                null,
                request.priority(),
                request.options(),
                request.context(),
                "sip-" + id,
                null,
                null,
                now,
                null,
                null,
                null,
                now,
                0,
                record,
                reservation,
                null,
                null,
                null,
                record ? new Recording(Recording.Status.STARTING, null, null, null) : Recording.DISABLED,
                organization.ratePerMinute(),
                request.options().waitUntilAnswered() ? now.plus(answerWindow(request.options())) : null,
                0,
                CallingWindows.ids(zones),
                CallingWindows.localTime(zones, now),
                request.schedule() == null ? null : request.schedule().at(),
                request.schedule() == null ? null : request.schedule().latestAt());
        calls.insert(call, due);
        if (request.idempotencyKey() != null) {
            calls.setIdempotencyKey(id, request.idempotencyKey());
        }
        if (due != null) {
            lifecycle.recordCreated(call, "call scheduled through the " + request.dialect() + " API, due at " + due);
            return call;
        }
        lifecycle.recordCreated(call, "call placed through the " + request.dialect() + " API");
        // claimed in the same transaction when nothing limits it: never seen queued by another claimer
        return dispatcher.claimIfUnlimited(call);
    }

    static ApiException notFound(UUID id) {
        return ApiException.notFound("CALL_NOT_FOUND", "No call " + id + " in your organization.");
    }
}
