package dev.dialplane.campaigns;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way a campaign's status changes: under the campaign's row lock it updates the row,
 * appends the campaign's next event and publishes {@link CampaignStatusChanged}, all in one
 * transaction (the caller's, or a new one), so there is never an event without its change or a
 * change without its event, and the webhooks written for it commit with both.
 */
@Component
class CampaignTransitions {

    static final String BY_REQUEST = "by request";

    private final CampaignRepository campaigns;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    CampaignTransitions(
            CampaignRepository campaigns, ApplicationEventPublisher events, TransactionTemplate transactions) {
        this.campaigns = campaigns;
        this.events = events;
        this.transactions = transactions;
    }

    /**
     * The events of a campaign inserted in the current transaction: {@code created}, and when it
     * runs at once also {@code started} at the same instant, so every campaign that ever runs has
     * exactly one {@code started} and each event's {@code from_status} is the previous one's
     * {@code to_status}.
     */
    void created(UUID id, Instant now) {
        var row = campaigns.lockById(id).orElseThrow();
        if (row.status() == CampaignStatus.RUNNING) {
            append(row, null, CampaignStatus.SCHEDULED, CampaignEventType.CREATED, CampaignActor.API, BY_REQUEST, now);
            append(
                    row,
                    CampaignStatus.SCHEDULED,
                    CampaignStatus.RUNNING,
                    CampaignEventType.STARTED,
                    CampaignActor.API,
                    "by request: no start time ahead",
                    now);
        } else {
            append(row, null, row.status(), CampaignEventType.CREATED, CampaignActor.API, BY_REQUEST, now);
        }
    }

    /**
     * Moves the campaign to {@code to} if it is in one of {@code from}; nothing is written
     * otherwise.
     *
     * @return the event appended, or empty when the campaign was in another status
     */
    Optional<CampaignEvent> change(
            UUID id,
            Set<CampaignStatus> from,
            CampaignStatus to,
            CampaignEventType type,
            CampaignActor actor,
            String reason,
            Instant now) {
        return changeIf(id, row -> from.contains(row.status()), to, type, actor, reason, now);
    }

    /**
     * Moves a running campaign with nothing left to call (no contact pending or calling, no targets
     * being appended) to completed; true when it did. Decided under the campaign's row lock, which
     * an append of targets also holds, so a campaign never completes over contacts it has not called.
     */
    boolean completeIfDone(UUID id, Instant now) {
        return changeIf(
                        id,
                        row -> row.status() == CampaignStatus.RUNNING && campaigns.nothingLeftToCall(id, now),
                        CampaignStatus.COMPLETED,
                        CampaignEventType.COMPLETED,
                        CampaignActor.DIALPLANE,
                        "every contact is done",
                        now)
                .isPresent();
    }

    private Optional<CampaignEvent> changeIf(
            UUID id,
            Predicate<CampaignRepository.Row> allowed,
            CampaignStatus to,
            CampaignEventType type,
            CampaignActor actor,
            String reason,
            Instant now) {
        return Objects.requireNonNull(transactions.execute(tx -> {
            var found = campaigns.lockById(id);
            if (found.isEmpty() || !allowed.test(found.get())) {
                return Optional.<CampaignEvent>empty();
            }
            var row = found.get();
            // status_reason says why Dialplane itself paused a campaign; any other change clears it
            var statusReason = to == CampaignStatus.PAUSED && actor == CampaignActor.DIALPLANE ? reason : null;
            campaigns.setStatus(id, to, statusReason, now);
            return Optional.of(append(row, row.status(), to, type, actor, reason, now));
        }));
    }

    private CampaignEvent append(
            CampaignRepository.Row row,
            @Nullable CampaignStatus from,
            CampaignStatus to,
            CampaignEventType type,
            CampaignActor actor,
            String reason,
            Instant now) {
        var event = new CampaignEvent(
                UUID.randomUUID(),
                row.id(),
                campaigns.nextEventSequence(row.id()),
                type,
                from,
                to,
                Objects.requireNonNull(CampaignRepository.fitting(reason)),
                actor,
                now);
        campaigns.insertEvent(event, row.organizationId());
        var current = campaigns.byId(row.id()).orElseThrow();
        events.publishEvent(new CampaignStatusChanged(campaigns.withCounts(current), event));
        return event;
    }
}
