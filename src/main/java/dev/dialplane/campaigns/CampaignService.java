package dev.dialplane.campaigns;

import dev.dialplane.agents.AgentService;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.Tenant;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
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
    private final TransactionTemplate transactions;
    private final Clock clock;

    CampaignService(
            CampaignRepository campaigns,
            AgentService agents,
            CallService calls,
            CampaignDriver driver,
            CampaignTransitions transitions,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            Clock clock) {
        this.campaigns = campaigns;
        this.agents = agents;
        this.calls = calls;
        this.driver = driver;
        this.transitions = transitions;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
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
        var status = draft.scheduleAt() != null && draft.scheduleAt().isAfter(now)
                ? CampaignStatus.SCHEDULED
                : CampaignStatus.RUNNING;
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
            campaigns.cancelPending(id, now);
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
                }
            } catch (ApiException e) {
                // dialed or ended meanwhile: its outcome is recorded when it ends
                log.debug("Campaign {}: call {} not canceled ({})", id, callId, e.code());
            }
        }
        return get(tenant, id);
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
