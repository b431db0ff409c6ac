package dev.dialplane.campaigns;

import dev.dialplane.agents.AgentService;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.numbers.NumberService;
import dev.dialplane.orgs.OrganizationService;
import dev.dialplane.orgs.Tenant;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Campaigns: creating them and moving them through their life. The calls themselves are placed by
 * {@link CampaignDriver}, and their outcomes recorded by {@link CampaignOutcomes}.
 */
@Service
public class CampaignService {

    private static final Logger log = LoggerFactory.getLogger(CampaignService.class);
    /** Rows read per query while results are streamed: a million rows take 500 keyset queries. */
    private static final int RESULTS_STRETCH = 2000;

    private final CampaignRepository campaigns;
    private final AgentService agents;
    private final CallService calls;
    private final CampaignDriver driver;
    private final CampaignTransitions transitions;
    private final ApplicationEventPublisher events;
    private final NumberService numbers;
    private final OrganizationService organizations;
    private final TransactionTemplate transactions;
    private final Clock clock;

    CampaignService(
            CampaignRepository campaigns,
            AgentService agents,
            CallService calls,
            CampaignDriver driver,
            CampaignTransitions transitions,
            ApplicationEventPublisher events,
            NumberService numbers,
            OrganizationService organizations,
            TransactionTemplate transactions,
            Clock clock) {
        this.campaigns = campaigns;
        this.agents = agents;
        this.calls = calls;
        this.driver = driver;
        this.transitions = transitions;
        this.events = events;
        this.numbers = numbers;
        this.organizations = organizations;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A caller number of the organization and its outbound agent, which calls from it. */
    public record Caller(UUID phoneNumberId, String number, UUID agentId) {}

    /**
     * The number with id {@code phoneNumberId} and its outbound agent: a TalkifAI batch job's agent
     * and every contact's caller id.
     *
     * @throws ApiException 404 PHONE_NUMBER_NOT_FOUND; 400 NO_OUTBOUND_AGENT
     */
    public Caller caller(Tenant tenant, UUID phoneNumberId) {
        var number = numbers.get(tenant, phoneNumberId);
        if (number.outboundAgentId() == null) {
            throw ApiException.badRequest(
                    "NO_OUTBOUND_AGENT",
                    number.number() + " has no outbound agent assigned; assign one with PATCH /phone-numbers/"
                            + number.id() + ".");
        }
        return new Caller(number.id(), number.number(), number.outboundAgentId());
    }

    /** What {@code contacts} calls, {@code concurrency} at a time, would cost and take (see {@link CampaignEstimates}). */
    public CampaignEstimates.Estimate estimate(Tenant tenant, long contacts, int concurrency) {
        var rate = organizations.get(tenant.organizationId()).ratePerMinute();
        return CampaignEstimates.of(contacts, concurrency, rate);
    }

    /**
     * Refuses a campaign the organization's available credits cannot carry one minute per contact
     * of ({@link CampaignEstimates#minimumCredits}): it would be paused for credits after a few calls.
     *
     * @throws ApiException 402 INSUFFICIENT_CREDITS
     */
    public void requireCredits(Tenant tenant, long contacts) {
        var organization = organizations.get(tenant.organizationId());
        var needed = CampaignEstimates.minimumCredits(contacts, organization.ratePerMinute());
        if (organization.availableCredits().compareTo(needed) < 0) {
            throw new ApiException(
                    HttpStatus.PAYMENT_REQUIRED,
                    "INSUFFICIENT_CREDITS",
                    "Not enough credits for " + contacts + " contacts: at least one minute each ("
                            + needed.stripTrailingZeros().toPlainString() + " credits) must be available, and "
                            + organization
                                    .availableCredits()
                                    .stripTrailingZeros()
                                    .toPlainString()
                            + " are. Add credits, or send fewer contacts.");
        }
    }

    /**
     * Stores the campaign and its contacts, running at once unless its start lies ahead. With a
     * webhook, its endpoint is registered in the same transaction (signed with the client's secret,
     * or a generated one returned only here).
     *
     * @throws ApiException 404 AGENT_NOT_FOUND; 400 TEXT_AGENT_NOT_SUPPORTED
     */
    public CreatedCampaign create(Tenant tenant, CampaignDraft draft) {
        var agent = agents.get(tenant, draft.agentId());
        if (!agent.architecture().isVoice()) {
            throw ApiException.badRequest(
                    "TEXT_AGENT_NOT_SUPPORTED",
                    "Agent '" + agent.name()
                            + "' uses the text architecture; only pipeline and realtime agents can make voice calls.");
        }
        var now = clock.instant();
        var id = UUID.randomUUID();
        var status = draft.draft() ? CampaignStatus.DRAFT : startStatus(draft.scheduleAt(), now);
        var webhook = draft.webhook();
        var generated = webhook != null && webhook.secret() == null ? CampaignWebhook.newSecret() : null;
        transactions.executeWithoutResult(tx -> {
            campaigns.insert(id, tenant.organizationId(), draft, status, now);
            if (webhook != null) {
                events.publishEvent(new CampaignWebhookRequested(
                        id,
                        tenant.organizationId(),
                        webhook.url(),
                        generated != null ? generated : Objects.requireNonNull(webhook.secret()),
                        webhook.notifyOnCallComplete()));
            }
            transitions.created(id, now);
        });
        driver.wake();
        return new CreatedCampaign(get(tenant, id), generated);
    }

    /** The campaign's status changes, oldest first. */
    public List<CampaignEvent> events(Tenant tenant, UUID id) {
        get(tenant, id);
        return campaigns.events(id);
    }

    /** The id of the campaign that placed this call (its contact's latest call), if a campaign did. */
    public Optional<UUID> placedBy(UUID callId) {
        return campaigns.campaignOfCall(callId);
    }

    private static CampaignStatus startStatus(@Nullable Instant scheduleAt, Instant now) {
        return scheduleAt != null && scheduleAt.isAfter(now) ? CampaignStatus.SCHEDULED : CampaignStatus.RUNNING;
    }

    /**
     * Starts a draft: running at once, or scheduled when its start lies ahead.
     *
     * @throws ApiException 404 CAMPAIGN_NOT_FOUND; 409 CAMPAIGN_STATE_CONFLICT (not a draft), CAMPAIGN_ENDED
     */
    public Campaign start(Tenant tenant, UUID id) {
        transactions.executeWithoutResult(tx -> {
            var row = locked(tenant, id);
            if (row.status() != CampaignStatus.DRAFT) {
                throw wrongState(row, "started", "only a draft can be started");
            }
            var now = clock.instant();
            var to = startStatus(row.scheduleAt(), now);
            transitions.change(
                    id,
                    Set.of(CampaignStatus.DRAFT),
                    to,
                    to == CampaignStatus.RUNNING ? CampaignEventType.STARTED : CampaignEventType.SCHEDULED,
                    CampaignActor.API,
                    to == CampaignStatus.RUNNING
                            ? "started by request"
                            : "started by request; it waits for its start time",
                    now);
        });
        driver.wake();
        return get(tenant, id);
    }

    /**
     * Gives a draft or scheduled campaign a new start: it is then scheduled for {@code at}.
     *
     * @param timezone the IANA zone {@code at} was given in, kept to show it back; null keeps the one it has
     * @throws ApiException 404 CAMPAIGN_NOT_FOUND; 409 CAMPAIGN_STATE_CONFLICT, CAMPAIGN_ENDED; 422
     *     SCHEDULE_IN_PAST when {@code at} is not after now
     */
    public Campaign reschedule(Tenant tenant, UUID id, Instant at, @Nullable String timezone) {
        transactions.executeWithoutResult(tx -> {
            var row = locked(tenant, id);
            if (row.status() != CampaignStatus.DRAFT && row.status() != CampaignStatus.SCHEDULED) {
                throw wrongState(row, "rescheduled", "only a draft or a scheduled campaign can be");
            }
            var now = clock.instant();
            if (!at.isAfter(now)) {
                throw new ApiException(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        SCHEDULE_IN_PAST,
                        "The new start " + at + " is not in the future (now is " + now + ").",
                        List.of(),
                        Map.of());
            }
            campaigns.setSchedule(id, at, timezone, now);
            // a scheduled campaign's new start is an event too (scheduled → scheduled), so the log shows it
            transitions.change(
                    id,
                    Set.of(CampaignStatus.DRAFT, CampaignStatus.SCHEDULED),
                    CampaignStatus.SCHEDULED,
                    CampaignEventType.SCHEDULED,
                    CampaignActor.API,
                    "rescheduled by request to " + at,
                    now);
        });
        driver.wake();
        return get(tenant, id);
    }

    /** A start that is not in the future. */
    public static final String SCHEDULE_IN_PAST = "SCHEDULE_IN_PAST";

    /** A page of the organization's campaigns, newest first, of the given statuses only (none: all). */
    public List<Campaign> list(Tenant tenant, List<CampaignStatus> statuses, long offset, int limit) {
        return campaigns.pageByStatus(tenant.organizationId(), statuses, offset, limit).stream()
                .map(this::withCounts)
                .toList();
    }

    public long count(Tenant tenant, List<CampaignStatus> statuses) {
        return campaigns.countByStatus(tenant.organizationId(), statuses);
    }

    /** A page of the campaign's contacts, in their order, optionally of one TalkifAI contact status. */
    public List<CampaignContactView> contactViews(
            Tenant tenant, UUID id, @Nullable String talkifaiStatus, long offset, int limit) {
        var campaign = get(tenant, id);
        return campaigns.contactPage(campaign.id(), talkifaiStatus, offset, limit).stream()
                .map(CampaignContactView::of)
                .toList();
    }

    public long countContacts(Tenant tenant, UUID id, @Nullable String talkifaiStatus) {
        return campaigns.countContacts(get(tenant, id).id(), talkifaiStatus);
    }

    /** How many of the campaign's contacts are in each TalkifAI contact status (only those with any). */
    public Map<String, Long> talkifaiBreakdown(Tenant tenant, UUID id) {
        return campaigns.talkifaiCounts(get(tenant, id).id());
    }

    /**
     * How far the campaign has come: its dial rate over the last ten minutes, its expected end, and
     * the estimate of what is left (see {@link CampaignProgress}).
     */
    public CampaignProgress progress(Tenant tenant, UUID id) {
        var campaign = get(tenant, id);
        var now = clock.instant();
        var remaining = campaign.count(ContactStatus.PENDING) + campaign.count(ContactStatus.CALLING);
        var started = campaigns.attemptsSince(id, now.minus(CampaignProgress.RATE_WINDOW));
        var rate = started / (double) CampaignProgress.RATE_WINDOW.toMinutes();
        var estimate = estimate(tenant, remaining, campaign.concurrentCalls());
        Instant completion = null;
        String basis = null;
        if (campaign.status() == CampaignStatus.RUNNING) {
            if (rate > 0) {
                completion = now.plusSeconds((long) Math.ceil(remaining * 60 / rate));
                basis = "observed";
            } else {
                completion = now.plus(estimate.duration());
                basis = "assumed";
            }
        }
        return new CampaignProgress(
                id,
                campaign.status(),
                campaign.total(),
                remaining,
                rate,
                completion,
                basis,
                estimate.cost(),
                estimate.duration());
    }

    public Campaign get(Tenant tenant, UUID id) {
        return campaigns.find(tenant.organizationId(), id).map(this::withCounts).orElseThrow(() -> notFound(id));
    }

    /**
     * A page of the campaign's contacts in row order after {@code afterRow}: {@code limit + 1} of
     * them when another page follows.
     */
    public List<CampaignContact> contacts(
            Tenant tenant, UUID id, long afterRow, List<ContactStatus> statuses, int limit) {
        requireCampaign(tenant, id);
        return campaigns.contacts(id, afterRow, statuses, limit);
    }

    /** Checks the campaign is the tenant's (404 otherwise) before its results are streamed. */
    public void requireCampaign(Tenant tenant, UUID id) {
        if (campaigns.find(tenant.organizationId(), id).isEmpty()) {
            throw notFound(id);
        }
    }

    /** The campaign's results in row order, handed to {@code sink} a stretch at a time. */
    public void results(Tenant tenant, UUID id, Consumer<List<CampaignResult>> sink) {
        requireCampaign(tenant, id);
        long after = 0;
        while (true) {
            var stretch = campaigns.results(id, after, RESULTS_STRETCH);
            if (stretch.isEmpty()) {
                return;
            }
            sink.accept(stretch);
            if (stretch.size() < RESULTS_STRETCH) {
                return;
            }
            after = stretch.getLast().contact().row();
        }
    }

    public Page<Campaign> list(Tenant tenant, PageRequest page) {
        return Page.of(
                        campaigns.page(tenant.organizationId(), page),
                        page.limit(),
                        r -> new Cursor(r.createdAt(), r.id()))
                .map(this::withCounts);
    }

    /**
     * Stops new dials at once. Calls already placed go on: live ones end normally, and the few
     * already handed to the dispatcher (at most {@code concurrent_calls}) are still dialed.
     */
    public Campaign pause(Tenant tenant, UUID id) {
        var placed = transactions.execute(tx -> {
            var row = locked(tenant, id);
            if (row.status() != CampaignStatus.RUNNING && row.status() != CampaignStatus.SCHEDULED) {
                throw wrongState(row, "paused", "only a running or scheduled campaign can be paused");
            }
            transitions.change(
                    id,
                    Set.of(row.status()),
                    CampaignStatus.PAUSED,
                    CampaignEventType.PAUSED,
                    CampaignActor.API,
                    CampaignTransitions.BY_REQUEST,
                    clock.instant());
            return campaigns.callingWithCall(id);
        });
        // new dials stop at once: the calls placed but not dialed yet are canceled, and their
        // contacts wait to be called again on resume (live calls end normally)
        for (var contact : java.util.Objects.requireNonNull(placed)) {
            var callId = java.util.Objects.requireNonNull(contact.lastCallId());
            try {
                var call = calls.get(tenant, callId);
                if (call.status() == CallStatus.SCHEDULED || call.status() == CallStatus.QUEUED) {
                    calls.hangUp(tenant, callId);
                }
            } catch (ApiException e) {
                // dialed or ended meanwhile: it goes on, and its outcome is recorded when it ends
                log.debug("Campaign {}: call {} not held back ({})", id, callId, e.code());
            }
        }
        return get(tenant, id);
    }

    /** Goes on where the campaign stopped. */
    public Campaign resume(Tenant tenant, UUID id) {
        transactions.executeWithoutResult(tx -> {
            var row = locked(tenant, id);
            if (row.status() != CampaignStatus.PAUSED) {
                throw wrongState(row, "resumed", "only a paused campaign can be resumed");
            }
            var now = clock.instant();
            var next = row.scheduleAt() != null && row.scheduleAt().isAfter(now) && row.startedAt() == null
                    ? CampaignStatus.SCHEDULED
                    : CampaignStatus.RUNNING;
            // running for the first time is its start, whichever route it took there
            var type = next == CampaignStatus.RUNNING && row.startedAt() == null
                    ? CampaignEventType.STARTED
                    : CampaignEventType.RESUMED;
            transitions.change(
                    id,
                    Set.of(CampaignStatus.PAUSED),
                    next,
                    type,
                    CampaignActor.API,
                    CampaignTransitions.BY_REQUEST,
                    now);
        });
        driver.wake();
        return get(tenant, id);
    }

    /**
     * Cancels the campaign: its contacts not yet called are canceled, and so are the calls it
     * placed that have not started (scheduled or queued). Live calls end normally.
     */
    public Campaign cancel(Tenant tenant, UUID id) {
        return cancelCounting(tenant, id).campaign();
    }

    /** A cancel's result: the campaign, and how many of its contacts the cancel itself canceled. */
    public record Canceled(Campaign campaign, int contactsCanceled) {}

    /** {@link #cancel}, also saying how many contacts it canceled (not called, or their calls not started). */
    public Canceled cancelCounting(Tenant tenant, UUID id) {
        var canceled = new int[1];
        var placed = transactions.execute(tx -> {
            var row = locked(tenant, id);
            if (row.status().isFinal()) {
                throw wrongState(row, "canceled", "it has already ended");
            }
            var now = clock.instant();
            transitions.change(
                    id,
                    Set.of(row.status()),
                    CampaignStatus.CANCELED,
                    CampaignEventType.CANCELED,
                    CampaignActor.API,
                    CampaignTransitions.BY_REQUEST,
                    now);
            canceled[0] = campaigns.cancelPending(id, now);
            return campaigns.callingWithCall(id);
        });
        for (var contact : java.util.Objects.requireNonNull(placed)) {
            var callId = java.util.Objects.requireNonNull(contact.lastCallId());
            try {
                var call = calls.get(tenant, callId);
                if (call.status() == CallStatus.SCHEDULED || call.status() == CallStatus.QUEUED) {
                    calls.hangUp(tenant, callId);
                    campaigns.finish(
                            contact.id(),
                            callId,
                            ContactStatus.CANCELED,
                            null,
                            null,
                            "canceled with the campaign",
                            false,
                            clock.instant());
                    // canceled here or by the outcome listener, which runs inside the hang-up
                    canceled[0]++;
                }
            } catch (ApiException e) {
                // dialed or ended meanwhile: its outcome is recorded when it ends
                log.debug("Campaign {}: call {} not canceled ({})", id, callId, e.code());
            }
        }
        return new Canceled(get(tenant, id), canceled[0]);
    }

    private CampaignRepository.Row locked(Tenant tenant, UUID id) {
        return campaigns.lock(tenant.organizationId(), id).orElseThrow(() -> notFound(id));
    }

    private Campaign withCounts(CampaignRepository.Row row) {
        return campaigns.withCounts(row);
    }

    private static ApiException wrongState(CampaignRepository.Row row, String verb, String why) {
        var code = row.status().isFinal() ? "CAMPAIGN_ENDED" : "CAMPAIGN_STATE_CONFLICT";
        return ApiException.conflict(
                code, "The campaign is " + row.status() + " and cannot be " + verb + ": " + why + ".");
    }

    static ApiException notFound(UUID id) {
        return ApiException.notFound("CAMPAIGN_NOT_FOUND", "No campaign " + id + " in your organization.");
    }
}
