package dev.dialplane.campaigns;

import dev.dialplane.calls.AnsweredBy;
import dev.dialplane.calls.Call;
import dev.dialplane.calls.CallOptions;
import dev.dialplane.calls.CallOutcomeReported;
import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.CallStatusChanged;
import dev.dialplane.calls.EndReason;
import dev.dialplane.calls.PlaceCall;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.WakeableLoop;
import dev.dialplane.compliance.CalleeTimeZones;
import dev.dialplane.compliance.CallingWindows;
import dev.dialplane.orgs.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Places the calls of running campaigns and records their outcomes. One loop per node, woken when
 * a campaign changes or one of its calls ends, else every {@code poll-interval}.
 *
 * <p>A pass locks each running campaign's row with {@code FOR UPDATE SKIP LOCKED} (another node
 * busy with it skips it), counts its contacts {@code calling}, and marks as many due pending
 * contacts {@code calling} as its {@code concurrent_calls} leaves room for, in row order, in that
 * one transaction. It then places their calls through {@link CallService#place} like any API call:
 * the dispatcher, pacing, compliance checks, billing and webhooks apply. Each attempt's
 * idempotency key is {@code campaign:<contact>:<placement>}: a node that died between marking a
 * contact and storing its call leaves it stranded, and whichever node places it again gets the
 * call stored under that key, if there is one, instead of dialing a second time.
 *
 * <p>A contact outside its callee's calling window stays pending until the window opens (its
 * {@code next_attempt_at}), so it takes no slot of the campaign's concurrency meanwhile.
 *
 * <p>An ended call's contact is recorded by the next pass on the node where the call ended, not in
 * the listener that hears of it: that listener runs after its call's commit, and what it writes
 * joins a transaction that is committed only once every such listener has returned. Recording
 * there held the contact's row while taking the campaign's, the reverse of a pass's order: the
 * campaign benchmark's two nodes deadlocked on it dozens of times a minute, and each contact so
 * stuck held a slot of the campaign's concurrency until housekeeping settled it. A node whose
 * driver does not run records them at once, on a thread of its own, for the same reason.
 */
@Component
public class CampaignDriver implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CampaignDriver.class);
    /** How many pending contacts a pass looks at beyond its free slots, passing over those out of their window. */
    private static final int LOOK_AHEAD = 100;
    /** When a capped contact is tried again if the cap did not say when it lifts. */
    static final Duration CAPPED_RETRY = Duration.ofMinutes(30);

    private static final Duration HOUSEKEEPING = Duration.ofSeconds(30);

    private final CampaignRepository campaigns;
    private final CampaignTransitions transitions;
    private final ApplicationEventPublisher events;
    private final CallService calls;
    private final CallOutcomes outcomes;
    private final CallingWindows windows;
    private final TransactionTemplate transactions;
    private final CampaignsProperties properties;
    private final Clock clock;
    private final WakeableLoop loop;
    /** Calls of this node's campaigns that ended, to be recorded by the next pass. */
    private final Queue<Call> ended = new ConcurrentLinkedQueue<>();

    private Instant housekeepingDue = Instant.MIN;

    @Autowired
    CampaignDriver(
            CampaignRepository campaigns,
            CampaignTransitions transitions,
            ApplicationEventPublisher events,
            CallService calls,
            CallOutcomes outcomes,
            CallingWindows windows,
            TransactionTemplate transactions,
            CampaignsProperties properties,
            Clock clock) {
        this(campaigns, transitions, events, calls, outcomes, windows, transactions, properties, clock, "campaigns");
    }

    private CampaignDriver(
            CampaignRepository campaigns,
            CampaignTransitions transitions,
            ApplicationEventPublisher events,
            CallService calls,
            CallOutcomes outcomes,
            CallingWindows windows,
            TransactionTemplate transactions,
            CampaignsProperties properties,
            Clock clock,
            String node) {
        this.campaigns = campaigns;
        this.transitions = transitions;
        this.events = events;
        this.calls = calls;
        this.outcomes = outcomes;
        this.windows = windows;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
        this.loop = new WakeableLoop(
                "campaigns-" + node,
                clock,
                properties.pollInterval(),
                properties.pollInterval(),
                log,
                now -> pass() ? now : now.plus(properties.pollInterval()));
    }

    /**
     * A driver like this one under another node's name, not started: several run in one process in
     * the cluster tests, each as one node would.
     */
    CampaignDriver asNode(String node) {
        return new CampaignDriver(
                campaigns, transitions, events, calls, outcomes, windows, transactions, properties, clock, node);
    }

    /** Runs a pass soon: a campaign was created or changed, or one of its calls ended. */
    void wake() {
        loop.wake();
    }

    /** A contact marked calling by a pass, to be placed as its attempt {@code attempt}. */
    /** A contact's call to place, as its {@code placement}-th (the idempotency key's number). */
    private record Placement(CampaignRepository.Row campaign, CampaignRepository.Contact contact, int placement) {}

    /** One pass over every campaign with calls to place; true when another pass should follow at once. */
    boolean pass() {
        recordEnded();
        var now = clock.instant();
        var again = false;
        for (var id : campaigns.drivable(now)) {
            var placements = transactions.execute(tx -> claim(id, now));
            for (var placement : Objects.requireNonNull(placements)) {
                again |= place(placement);
            }
        }
        // a clock set back (tests reset theirs) must not put housekeeping off until it catches up
        if (!now.isBefore(housekeepingDue) || housekeepingDue.isAfter(now.plus(HOUSEKEEPING))) {
            housekeepingDue = now.plus(HOUSEKEEPING);
            settleForgotten(now);
        }
        return again;
    }

    /** In one transaction: the campaign's contacts to place now, marked calling. */
    private List<Placement> claim(UUID id, Instant now) {
        var found = campaigns.lockForDriving(id);
        if (found.isEmpty()) {
            return List.of();
        }
        var campaign = found.get();
        if (campaign.status() == CampaignStatus.SCHEDULED) {
            if (campaign.scheduleAt() != null && campaign.scheduleAt().isAfter(now)) {
                return List.of();
            }
            transitions.change(
                    id,
                    Set.of(CampaignStatus.SCHEDULED),
                    CampaignStatus.RUNNING,
                    campaign.startedAt() == null ? CampaignEventType.STARTED : CampaignEventType.RESUMED,
                    CampaignActor.DIALPLANE,
                    "its start time came (schedule_at " + campaign.scheduleAt() + ")",
                    now);
        } else if (campaign.status() != CampaignStatus.RUNNING) {
            return List.of();
        }
        var placements = new ArrayList<Placement>();
        for (var stranded : campaigns.stranded(id, now.minus(properties.strandedAfter()))) {
            log.info("Campaign {}: placing contact {} again (its placement never finished)", id, stranded.id());
            campaigns.touch(stranded.id(), now);
            placements.add(new Placement(campaign, stranded, stranded.placements()));
        }
        var free = campaign.concurrentCalls() - campaigns.countCalling(id);
        var initialFree = free;
        // read as many as there are free slots, and more only for those passed over: a pass per ended
        // call otherwise read a hundred contacts to place one. Each contact looked at leaves the due
        // set in this transaction (calling, deferred to its window, or failed), so the next page is new
        var looked = 0;
        var page = free;
        while (free > 0 && page > 0) {
            var due = campaigns.due(id, now, page);
            for (var contact : due) {
                looked++;
                var verdict = windows.check(
                        campaign.organizationId(),
                        CalleeTimeZones.of(contact.toNumber()),
                        now,
                        campaign.callingWindow());
                if (!verdict.allowed() && verdict.nextAllowedAt() != null) {
                    // waits pending for its own window; contacts in theirs go first
                    campaigns.deferPending(contact.id(), verdict.nextAllowedAt(), now);
                    continue;
                }
                if (!verdict.allowed() && campaign.callingWindow() != null) {
                    // the campaign's window never holds for this callee (zone unknown, or no hour
                    // inside both windows in all its zones); without one, the call path refuses it
                    // with its own code
                    campaigns.failPending(
                            contact.id(),
                            verdict.zones().isEmpty()
                                    ? "CALLEE_TIMEZONE_UNKNOWN: the callee's time zone is unknown, so the campaign's"
                                            + " calling window cannot be checked"
                                    : "OUTSIDE_CALLING_WINDOW: no time within the next week lies inside both the"
                                            + " campaign's and the organization's calling windows in "
                                            + verdict.zones(),
                            now);
                    continue;
                }
                campaigns.markCalling(contact.id(), now);
                placements.add(new Placement(campaign, contact, contact.placements() + 1));
                free--;
            }
            page = due.size() < page ? 0 : Math.min(free, LOOK_AHEAD + initialFree - looked);
        }
        if (placements.isEmpty()) {
            transitions.completeIfDone(id, now);
        }
        return placements;
    }

    /** Places one contact's call; true when the campaign has room for more at once (a refusal). */
    private boolean place(Placement placement) {
        var campaign = placement.campaign();
        var contact = placement.contact();
        var request = request(campaign, contact, placement.placement());
        Call call;
        try {
            call = calls.place(request);
        } catch (ApiException e) {
            refused(campaign, contact, e);
            return true;
        } catch (RuntimeException e) {
            // nothing known about the call: the contact stays calling and is placed again with the
            // same key once it counts as stranded
            log.warn("Campaign {}: placing contact {} failed; retried later", campaign.id(), contact.id(), e);
            return false;
        }
        campaigns.setCall(contact.id(), call.id(), clock.instant());
        // the call may have ended before its id was stored, when the listener could not find it
        var current = calls.get(new Tenant(campaign.organizationId()), call.id());
        if (current.status().isTerminal()) {
            events.publishEvent(new CampaignCallEndedUnseen(campaign.id(), current));
            record(current);
        } else if (current.dialingAt() != null) {
            // dialed before its id was stored: the listener found no contact to mark dialing
            campaigns.dialing(current.id(), current.roomName());
        }
        return false;
    }

    /**
     * The call of a contact's {@code placement}-th placement. Its idempotency key names both, so
     * whichever node places it again after a crash gets the call already stored, never a second.
     */
    static PlaceCall request(CampaignRepository.Row campaign, CampaignRepository.Contact contact, int placement) {
        return new PlaceCall(
                new Tenant(campaign.organizationId()),
                campaign.dialect(),
                campaign.agentId(),
                contact.toNumber(),
                contact.fromNumber(),
                campaign.priority(),
                CallOptions.defaults(80).withoutWaiting(),
                contact.context(),
                false,
                "campaign:" + contact.id() + ":" + placement,
                null,
                new PlaceCall.Schedule(null, true, null));
    }

    private void refused(CampaignRepository.Row campaign, CampaignRepository.Contact contact, ApiException e) {
        var now = clock.instant();
        var reason = e.getMessage();
        switch (e.code()) {
            case "NUMBER_ON_DNC" ->
                campaigns.finish(contact.id(), null, ContactStatus.BLOCKED, null, null, reason, true, now);
            case "ATTEMPT_LIMIT_REACHED" -> {
                var next = e.properties().get("next_allowed_at") instanceof String at
                        ? Instant.parse(at)
                        : now.plus(CAPPED_RETRY);
                campaigns.finish(contact.id(), null, ContactStatus.PENDING, next, null, reason, true, now);
            }
            case "TOO_MANY_CALLS" ->
                campaigns.finish(
                        contact.id(), null, ContactStatus.PENDING, now.plusSeconds(1), null, reason, true, now);
            case "INSUFFICIENT_CREDITS" -> {
                campaigns.finish(contact.id(), null, ContactStatus.PENDING, null, null, reason, true, now);
                transitions.change(
                        campaign.id(),
                        Set.of(CampaignStatus.RUNNING),
                        CampaignStatus.PAUSED,
                        CampaignEventType.PAUSED,
                        CampaignActor.DIALPLANE,
                        "credits ran out: " + reason + " Add credits and resume the campaign.",
                        now);
            }
            default ->
                campaigns.finish(
                        contact.id(), null, ContactStatus.FAILED, null, null, e.code() + ": " + reason, true, now);
        }
        transitions.completeIfDone(campaign.id(), now);
    }

    /** A campaign call ended: its contact is done, or waits for its retry. */
    @TransactionalEventListener(fallbackExecution = true)
    void onCallStatusChanged(CallStatusChanged event) {
        if (event.call().status() == CallStatus.DIALING) {
            try {
                // a campaign call reached LiveKit: its contact shows dialing, no longer queued
                campaigns.dialing(event.call().id(), event.call().roomName());
            } catch (RuntimeException e) {
                log.warn(
                        "Campaign contact of call {} not marked dialing",
                        event.call().id(),
                        e);
            }
        } else if (event.call().status().isTerminal()) {
            ended.add(event.call());
            if (loop.isRunning()) {
                wake();
            } else {
                // no pass will come on this node (campaigns disabled here, or stopping): recorded at once, but
                // on a thread of its own (class comment; the cluster test, whose nodes are not this listener,
                // saw its stopped driver deadlock with them when it recorded right here)
                Thread.ofVirtual().name("campaign-outcomes").start(this::recordEnded);
            }
        }
    }

    private void recordEnded() {
        for (var call = ended.poll(); call != null; call = ended.poll()) {
            try {
                record(call);
            } catch (RuntimeException e) {
                // housekeeping finds the contact's ended call again
                log.warn("Campaign outcome of call {} not recorded yet", call.id(), e);
            }
        }
    }

    private void record(Call call) {
        var found = campaigns.byCall(call.id());
        if (found.isEmpty() || found.get().status() != ContactStatus.CALLING) {
            return;
        }
        var contact = found.get();
        var campaign = campaigns.byId(contact.campaignId()).orElseThrow();
        var now = clock.instant();
        var reason = call.endReason();
        var reasonText = reason == null ? null : reason.toString();
        ContactStatus next;
        Instant retryAt = null;
        var outcome = call.status() == CallStatus.COMPLETED
                ? voicemail(call.id())
                        ? Optional.of(RetryPolicy.Outcome.MACHINE_VOICEMAIL)
                        : Optional.<RetryPolicy.Outcome>empty()
                : RetryPolicy.Outcome.of(reason);
        if (outcome.isPresent() && retries(campaign, contact, outcome.get())) {
            next = ContactStatus.PENDING;
            retryAt = now.plus(campaign.retryPolicy().delayAfter(contact.attempts()));
        } else if (call.status() == CallStatus.COMPLETED) {
            next = ContactStatus.COMPLETED;
        } else if (reason == EndReason.DNC) {
            next = ContactStatus.BLOCKED;
        } else if (call.status() == CallStatus.CANCELED && campaign.status() == CampaignStatus.CANCELED) {
            // hung up by the campaign's cancel before it started (this runs inside that hang-up)
            next = ContactStatus.CANCELED;
        } else if (call.status() == CallStatus.CANCELED
                && call.dialingAt() == null
                && campaign.status() == CampaignStatus.PAUSED) {
            // hung up by the pause before it was dialed: called again, as a new placement, on resume
            if (campaigns.finish(contact.id(), call.id(), ContactStatus.PENDING, null, reasonText, null, true, now)) {
                wake();
            }
            return;
        } else {
            next = ContactStatus.FAILED;
        }
        campaigns.callFacts(
                contact.id(),
                call.id(),
                call.dialingAt() == null ? null : call.roomName(),
                call.sipStatusCode(),
                call.durationSeconds());
        if (campaigns.finish(contact.id(), call.id(), next, retryAt, reasonText, null, false, now)) {
            if (loop.isRunning()) {
                // the pass this wakes completes the campaign if nothing is left: checking here as well
                // took the campaign's lock once more for every ended call, and a pass on another node
                // that found it taken skipped the campaign
                wake();
            } else {
                transitions.completeIfDone(campaign.id(), now);
            }
        }
    }

    /** Whether the campaign calls this contact again after an attempt that ended so. */
    private static boolean retries(
            CampaignRepository.Row campaign, CampaignRepository.Contact contact, RetryPolicy.Outcome outcome) {
        return campaign.retryFailed()
                && !campaign.status().isFinal()
                && campaign.retryPolicy().retries(outcome)
                && contact.attempts() <= campaign.retryAttempts();
    }

    private boolean voicemail(UUID callId) {
        return outcomes.find(callId)
                .map(found -> found.answeredBy() == AnsweredBy.MACHINE_VOICEMAIL)
                .orElse(false);
    }

    /**
     * The agent reported voicemail after its call ended and its contact was recorded completed: a
     * campaign that retries voicemail calls the contact again, if it has attempts left and has
     * not ended.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onOutcomeReported(CallOutcomeReported event) {
        if (event.outcome().answeredBy() != AnsweredBy.MACHINE_VOICEMAIL) {
            return;
        }
        var found = campaigns.byCall(event.call().id());
        if (found.isEmpty() || found.get().status() != ContactStatus.COMPLETED) {
            return;
        }
        var contact = found.get();
        var campaign = campaigns.byId(contact.campaignId()).orElseThrow();
        if (!retries(campaign, contact, RetryPolicy.Outcome.MACHINE_VOICEMAIL)) {
            return;
        }
        var now = clock.instant();
        if (campaigns.reopen(
                contact.id(),
                event.call().id(),
                now.plus(campaign.retryPolicy().delayAfter(contact.attempts())),
                now)) {
            log.info("Campaign {}: contact {} reached voicemail; called again later", campaign.id(), contact.id());
            wake();
        }
    }

    /**
     * Contacts still calling whose call ended long ago: the outcome was not recorded (the listener
     * failed, or ran before the call id was stored on another node). Rare; checked now and then.
     */
    private void settleForgotten(Instant now) {
        for (var contact : campaigns.callingSince(now.minus(properties.strandedAfter()))) {
            var callId = Objects.requireNonNull(contact.lastCallId());
            try {
                var call = calls.get(new Tenant(contact.organizationId()), callId);
                if (call.status().isTerminal()) {
                    record(call);
                }
            } catch (RuntimeException e) {
                log.warn("Campaign contact {}: could not check call {}", contact.id(), callId, e);
            }
        }
    }

    @Override
    public void start() {
        if (properties.enabled()) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
