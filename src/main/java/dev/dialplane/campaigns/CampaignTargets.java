package dev.dialplane.campaigns;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.E164;
import dev.dialplane.common.TableStatistics;
import dev.dialplane.orgs.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends targets to a campaign that has not ended, from JSON or a streamed CSV, as they are read:
 * {@value #BATCH} per statement and transaction, so memory does not grow with the upload. Every
 * row is validated; invalid rows and numbers the campaign already has are reported by row while the
 * valid rows are kept. While an upload runs it holds the campaign's completion (a lease renewed with
 * each batch), so a campaign whose earlier contacts are all done does not complete under it.
 */
@Service
public class CampaignTargets {

    /** The most contacts one campaign holds. */
    public static final int MAX_CONTACTS = 1_000_000;

    public static final String CAMPAIGN_TOO_LARGE = "CAMPAIGN_TOO_LARGE";
    static final int BATCH = 1000;
    static final int MAX_REPORTED_ERRORS = 1000;
    private static final int REPORTED_VALUE_LENGTH = 64;
    /** How long an upload holds completion after its last batch; a node that died mid-upload lets it lapse. */
    static final Duration INTAKE_LEASE = Duration.ofMinutes(2);
    /** Contacts added before the statistics are first refreshed, and then between refreshes. */
    static final int ANALYZE_FIRST = 10_000;

    static final int ANALYZE_EVERY = 200_000;

    private final CampaignRepository campaigns;
    private final TableStatistics statistics;
    private final CampaignDriver driver;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;
    /** {@link #MAX_CONTACTS}; lower only in tests, which cannot send a million rows each time. */
    private volatile int maxContacts = MAX_CONTACTS;

    CampaignTargets(
            CampaignRepository campaigns,
            TableStatistics statistics,
            CampaignDriver driver,
            TransactionTemplate transactions,
            JsonMapper json,
            Clock clock) {
        this.campaigns = campaigns;
        this.statistics = statistics;
        this.driver = driver;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    /**
     * One row of an upload, as read (a line: the architecture rules keep *Row for repository rows).
     *
     * @param row where it is: the CSV line, or the index in a JSON {@code targets} array
     * @param toNumber the number to call as given, null when the row has none
     * @param fromNumber the caller number as given, or null (the agent's outbound number calls)
     * @param context the row's own context, merged over the campaign's
     */
    public record Line(
            long row, @Nullable String toNumber, @Nullable String fromNumber, Map<String, Object> context) {}

    /**
     * What an append did.
     *
     * @param rows rows read
     * @param added contacts added, each {@code pending}
     * @param duplicates valid rows whose number the campaign (or an earlier row of the upload) has
     * @param invalid rows refused
     * @param totalTargets the campaign's contacts after the append
     * @param errors the first {@value #MAX_REPORTED_ERRORS} refused and duplicate rows
     */
    public record Appended(
            long rows, long added, long duplicates, long invalid, long totalTargets, List<RowError> errors) {

        public Appended {
            errors = List.copyOf(errors);
        }
    }

    /** One row not added: where it is, its number as read (cut to 64 characters), and why. */
    public record RowError(long row, String value, String detail) {}

    /**
     * Appends the rows. {@code rows} may throw while it is read (a malformed CSV, the body limit):
     * what was read before is kept, and the exception goes on to the caller.
     *
     * @throws ApiException 404 CAMPAIGN_NOT_FOUND; 409 CAMPAIGN_ENDED; 413 CAMPAIGN_TOO_LARGE past
     *     {@link #MAX_CONTACTS} (the rows before are kept)
     */
    public Appended append(Tenant tenant, UUID campaignId, Iterator<Line> rows) {
        var campaign = campaigns
                .find(tenant.organizationId(), campaignId)
                .orElseThrow(() -> CampaignService.notFound(campaignId));
        refuseEnded(campaign.status());
        var intake = new Intake(campaign, contextOf(campaignId));
        try {
            while (true) {
                Line row;
                try {
                    if (!rows.hasNext()) {
                        break;
                    }
                    row = rows.next();
                } catch (ApiException e) {
                    // the upload cannot be read on (a malformed CSV): what was read before is kept
                    flush(intake);
                    throw new ApiException(e.status(), e.code(), e.getMessage() + "; " + intake.kept() + ".");
                } catch (RuntimeException e) {
                    // the client's connection or the body limit: what was read before is kept
                    flush(intake);
                    throw e;
                }
                intake.read(row);
                if (intake.batch.size() == BATCH) {
                    flush(intake);
                }
            }
            flush(intake);
        } finally {
            release(intake);
        }
        driver.wake();
        return intake.result();
    }

    /** Sets the contact limit; for tests only. */
    void maxContacts(int contacts) {
        maxContacts = contacts;
    }

    /** An append's running counts and the batch not stored yet. */
    private final class Intake {
        final CampaignRepository.Row campaign;
        final Map<String, Object> campaignContext;
        final LinkedHashMap<String, Pending> batch = new LinkedHashMap<>();
        final List<RowError> errors = new ArrayList<>();
        long rows;
        long added;
        long duplicates;
        long invalid;
        long total = -1;
        long analyzedAt;
        boolean held;

        Intake(CampaignRepository.Row campaign, Map<String, Object> campaignContext) {
            this.campaign = campaign;
            this.campaignContext = campaignContext;
        }

        void read(Line row) {
            rows++;
            var raw = row.toNumber() == null ? "" : row.toNumber().strip();
            String to;
            String from = null;
            try {
                to = E164.parse("to_number", raw);
                if (row.fromNumber() != null && !row.fromNumber().isBlank()) {
                    from = E164.parse("from_number", row.fromNumber().strip());
                }
            } catch (E164.InvalidNumber e) {
                refuse(row.row(), raw, Objects.requireNonNullElse(e.getMessage(), "not a phone number"));
                return;
            }
            var merged = new LinkedHashMap<>(campaignContext);
            merged.putAll(row.context());
            var context = merged.isEmpty() ? null : json.writeValueAsString(merged);
            if (context != null && context.length() > CampaignDraft.MAX_CONTEXT_CHARS) {
                refuse(
                        row.row(),
                        raw,
                        "its context, merged over the campaign's, is longer than " + CampaignDraft.MAX_CONTEXT_CHARS
                                + " characters as JSON");
                return;
            }
            var earlier = batch.get(to);
            if (earlier != null) {
                duplicate(row.row(), to, "appears earlier in this upload (row " + earlier.row() + ")");
                return;
            }
            batch.put(to, new Pending(row.row(), to, from, context));
        }

        void refuse(long row, String value, String detail) {
            invalid++;
            report(row, value, detail);
        }

        void duplicate(long row, String value, String detail) {
            duplicates++;
            report(row, value, detail);
        }

        private void report(long row, String value, String detail) {
            if (errors.size() < MAX_REPORTED_ERRORS) {
                var shown = value.length() <= REPORTED_VALUE_LENGTH
                        ? value
                        : value.substring(0, REPORTED_VALUE_LENGTH) + "…";
                errors.add(new RowError(row, shown, detail));
            }
        }

        Appended result() {
            return new Appended(
                    rows, added, duplicates, invalid, total < 0 ? campaigns.lastRow(campaign.id()) : total, errors);
        }

        String kept() {
            return "the " + rows + " rows before were kept (" + added + " added, " + duplicates + " duplicates, "
                    + invalid + " invalid)";
        }
    }

    private record Pending(
            long row,
            String toNumber,
            @Nullable String fromNumber,
            @Nullable String context) {}

    /** Stores the batch under the campaign's row lock, numbering its contacts after the last. */
    private void flush(Intake intake) {
        if (intake.batch.isEmpty()) {
            return;
        }
        var batch = List.copyOf(intake.batch.values());
        intake.batch.clear();
        var id = intake.campaign.id();
        var overflowRow = transactions.execute(tx -> {
            var current = campaigns
                    .lock(intake.campaign.organizationId(), id)
                    .orElseThrow(() -> CampaignService.notFound(id));
            if (current.status().isFinal()) {
                throw ApiException.conflict(
                        "CAMPAIGN_ENDED",
                        "The campaign is " + current.status() + " and takes no more targets; " + intake.kept() + ".");
            }
            var existing = campaigns.existingRows(
                    id, batch.stream().map(Pending::toNumber).toList());
            var last = campaigns.lastRow(id);
            var contacts = new ArrayList<CampaignRepository.NewContact>(batch.size());
            Pending overflow = null;
            for (var pending : batch) {
                var row = existing.get(pending.toNumber());
                if (row != null) {
                    intake.duplicate(
                            pending.row(),
                            pending.toNumber(),
                            "the campaign has this number already (its contact " + row + ")");
                    continue;
                }
                if (last + contacts.size() >= maxContacts) {
                    overflow = pending;
                    break;
                }
                contacts.add(new CampaignRepository.NewContact(
                        last + contacts.size() + 1, pending.toNumber(), pending.fromNumber(), pending.context()));
            }
            var now = clock.instant();
            intake.added += campaigns.insertContacts(id, intake.campaign.organizationId(), contacts, now);
            intake.total = last + contacts.size();
            campaigns.holdIntake(id, now.plus(INTAKE_LEASE));
            intake.held = true;
            return overflow == null ? -1L : overflow.row();
        });
        if (intake.added >= intake.analyzedAt + (intake.analyzedAt == 0 ? ANALYZE_FIRST : ANALYZE_EVERY)) {
            // the plans cached while the campaign was small would scan it whole from here on
            statistics.refresh("campaign_contacts");
            intake.analyzedAt = intake.added;
        }
        if (overflowRow != null && overflowRow >= 0) {
            // the contacts before it are committed; the rest of the upload is not read
            throw tooLarge(overflowRow, maxContacts, intake.kept());
        }
    }

    private void release(Intake intake) {
        if (intake.held) {
            transactions.executeWithoutResult(tx -> campaigns.holdIntake(intake.campaign.id(), null));
        }
    }

    private Map<String, Object> contextOf(UUID campaignId) {
        var text = campaigns.context(campaignId);
        if (text == null) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> context = json.readValue(text, Map.class);
        return context;
    }

    private static void refuseEnded(CampaignStatus status) {
        if (status.isFinal()) {
            throw ApiException.conflict("CAMPAIGN_ENDED", "The campaign is " + status + " and takes no more targets.");
        }
    }

    static ApiException tooLarge(long row, int maxContacts, String kept) {
        return new ApiException(
                HttpStatus.CONTENT_TOO_LARGE,
                CAMPAIGN_TOO_LARGE,
                "A campaign holds at most " + String.format(Locale.ROOT, "%,d", maxContacts) + " contacts; row " + row
                        + " is past that and was not added, nor was anything after it; " + kept + ".");
    }
}
