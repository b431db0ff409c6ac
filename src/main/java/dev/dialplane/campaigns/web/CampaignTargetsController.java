package dev.dialplane.campaigns.web;

import dev.dialplane.campaigns.CampaignContact;
import dev.dialplane.campaigns.CampaignResultsCsv;
import dev.dialplane.campaigns.CampaignService;
import dev.dialplane.campaigns.CampaignTargets;
import dev.dialplane.campaigns.ContactCsv;
import dev.dialplane.campaigns.ContactStatus;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.Page;
import dev.dialplane.common.web.LaxTypes;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.common.web.TextUploads;
import dev.dialplane.orgs.Tenant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * A campaign's targets: appending them (JSON, or a CSV read as it arrives), listing them with
 * their status, and the results as a streamed CSV.
 */
@RestController
@LaxTypes
class CampaignTargetsController {

    /** Targets in one JSON append; more go as CSV, which is streamed. */
    static final int MAX_JSON_TARGETS = 10_000;

    static final int MAX_CONTACTS_PAGE = 500;

    private final CampaignTargets targets;
    private final CampaignService campaigns;
    private final CampaignResultsCsv results;
    private final RequestValidator validator;
    private final JsonMapper json;

    CampaignTargetsController(
            CampaignTargets targets,
            CampaignService campaigns,
            CampaignResultsCsv results,
            RequestValidator validator,
            JsonMapper json) {
        this.targets = targets;
        this.campaigns = campaigns;
        this.results = results;
        this.validator = validator;
        this.json = json;
    }

    @PostMapping(path = "/campaigns/{id}/targets", consumes = MediaType.APPLICATION_JSON_VALUE)
    AppendResponse appendJson(Tenant tenant, @PathVariable UUID id, @RequestBody TargetsRequest request) {
        RequestValidator.reject(validator.violations(request));
        var rows = new ArrayList<CampaignTargets.Line>();
        var list = java.util.Objects.requireNonNull(request.targets());
        for (int i = 0; i < list.size(); i++) {
            var target = list.get(i);
            rows.add(
                    target == null
                            ? new CampaignTargets.Line(i, null, null, Map.of())
                            : new CampaignTargets.Line(
                                    i,
                                    target.toNumber(),
                                    target.fromNumber(),
                                    target.context() == null ? Map.of() : target.context()));
        }
        return AppendResponse.of(targets.append(tenant, id, rows.iterator()));
    }

    /**
     * A CSV body read as it arrives (UTF-8 unless the Content-Type names another charset): its first
     * row names the columns (see {@link ContactCsv}).
     */
    @PostMapping(path = "/campaigns/{id}/targets", consumes = "text/csv")
    AppendResponse appendCsv(Tenant tenant, @PathVariable UUID id, HttpServletRequest request) throws IOException {
        campaigns.requireCampaign(tenant, id);
        try (var reader = TextUploads.reader(request);
                var csv = ContactCsv.open(reader)) {
            return AppendResponse.of(targets.append(tenant, id, csv));
        }
    }

    @GetMapping("/campaigns/{id}/contacts")
    Page<ContactResource> contacts(
            Tenant tenant,
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        var size = limit == null ? 100 : limit;
        if (size < 1 || size > MAX_CONTACTS_PAGE) {
            throw ApiException.badRequest(
                    "INVALID_LIMIT", "limit must be between 1 and " + MAX_CONTACTS_PAGE + " (got " + size + ")");
        }
        var statuses = new ArrayList<ContactStatus>();
        if (status != null && !status.isBlank()) {
            for (var name : status.split(",")) {
                var parsed = ContactStatus.parse(name.strip());
                if (parsed == null) {
                    throw ApiException.badRequest(
                            "INVALID_PARAMETER",
                            "status must be a comma-separated list of pending, calling, completed, failed, blocked"
                                    + " and canceled (got '" + name.strip() + "')");
                }
                statuses.add(parsed);
            }
        }
        var rows = campaigns.contacts(tenant, id, afterRow(cursor), statuses, size);
        var data = rows.stream().limit(size).map(this::resource).toList();
        var more = rows.size() > size;
        return new Page<>(data, more, more ? encode(data.getLast().row()) : null);
    }

    /**
     * Every contact with its result, in row order, written as it is read (a million rows never sit
     * in memory): see {@link CampaignResultsCsv}.
     */
    @GetMapping("/campaigns/{id}/results.csv")
    ResponseEntity<StreamingResponseBody> results(Tenant tenant, @PathVariable UUID id) {
        results.require(tenant, id);
        StreamingResponseBody body = out -> results.write(tenant, id, out);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"" + CampaignResultsCsv.filename(id) + "\"")
                .body(body);
    }

    private ContactResource resource(CampaignContact contact) {
        @SuppressWarnings("unchecked")
        Map<String, Object> context = contact.context() == null ? null : json.readValue(contact.context(), Map.class);
        return new ContactResource(
                contact.id(),
                contact.row(),
                contact.toNumber(),
                contact.fromNumber(),
                context,
                contact.status(),
                contact.attempts(),
                contact.lastCallId(),
                contact.lastEndReason(),
                contact.lastError(),
                contact.nextAttemptAt(),
                contact.updatedAt());
    }

    private static String encode(long row) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("row." + row).getBytes(StandardCharsets.UTF_8));
    }

    private static long afterRow(@Nullable String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            var raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!raw.startsWith("row.")) {
                throw new IllegalArgumentException("not a contacts cursor");
            }
            var row = Long.parseLong(raw.substring(4));
            if (row < 0) {
                throw new IllegalArgumentException("negative row");
            }
            return row;
        } catch (RuntimeException e) {
            throw ApiException.badRequest(
                    "INVALID_CURSOR",
                    "cursor is not valid: pass back the next_cursor value of a previous page unchanged");
        }
    }

    /** Targets to append: MrAssistant's target model, 1 to {@value #MAX_JSON_TARGETS} of them. */
    record TargetsRequest(
            @NotNull(message = "is required") @Size(
                    min = 1,
                    max = MAX_JSON_TARGETS,
                    message = "must have 1 to 10000 targets; send more as CSV (Content-Type: text/csv)")
            List<CampaignController.@Nullable TargetRequest> targets) {}

    /**
     * What an append did: rows read, contacts added, duplicates (numbers the campaign has, or an
     * earlier row of the upload), invalid rows, the campaign's contacts now, and the first 1,000 rows
     * not added with why.
     */
    record AppendResponse(
            long rows, long added, long duplicates, long invalid, long totalTargets, List<RowError> errors) {

        static AppendResponse of(CampaignTargets.Appended appended) {
            return new AppendResponse(
                    appended.rows(),
                    appended.added(),
                    appended.duplicates(),
                    appended.invalid(),
                    appended.totalTargets(),
                    appended.errors().stream()
                            .map(e -> new RowError(e.row(), e.value(), e.detail()))
                            .toList());
        }
    }

    /** One row not added: its CSV line (or index in {@code targets}), the number as read, why. */
    record RowError(long row, String value, String detail) {}

    /** A contact of a campaign. */
    record ContactResource(
            UUID id,
            int row,
            String toNumber,
            @Nullable String fromNumber,
            @Nullable Map<String, Object> context,
            ContactStatus status,
            int attempts,
            @Nullable UUID lastCallId,
            @Nullable String lastEndReason,
            @Nullable String lastError,
            @Nullable Instant nextAttemptAt,
            Instant updatedAt) {}
}
