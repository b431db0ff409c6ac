package dev.dialplane.campaigns.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.dialplane.calls.CallDialect;
import dev.dialplane.calls.CallPriority;
import dev.dialplane.campaigns.Campaign;
import dev.dialplane.campaigns.CampaignContactView;
import dev.dialplane.campaigns.CampaignDraft;
import dev.dialplane.campaigns.CampaignService;
import dev.dialplane.campaigns.CampaignStatus;
import dev.dialplane.campaigns.ContactStatus;
import dev.dialplane.campaigns.RetryPolicy;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.orgs.Tenant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * TalkifAI-compatible batch calling ({@code /batch/…}, camelCase JSON, TalkifAI's error envelope):
 * a batch job is a campaign, created through {@link CampaignService} like MrAssistant's, its agent
 * the outbound agent of {@code fromPhoneNumberId}. A job created without {@code scheduledStartTime}
 * is {@code pending} (a draft) until started; with one it is {@code scheduled}. The job and contact
 * statuses are TalkifAI's, computed from Dialplane's (README, "Batch calling").
 */
@RestController
class BatchController {

    static final int MAX_PAGE_SIZE = 100;
    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_CONTACTS_PAGE_SIZE = 500;
    static final int DEFAULT_CONTACTS_PAGE_SIZE = 50;
    static final String NOT_FOUND = "not_found";
    /** TalkifAI's contact statuses, in the order of a contact's life. */
    static final List<String> CONTACT_STATUSES = List.of(
            "pending",
            "queued",
            "dialing",
            "completed",
            "no_answer",
            "busy",
            "timeout",
            "blocked",
            "invalid_number",
            "carrier_error",
            "failed",
            "cancelled");
    /** TalkifAI's job statuses; Dialplane's {@code failed} never happens (a job's contacts fail, not the job). */
    static final List<String> JOB_STATUSES =
            List.of("pending", "scheduled", "running", "paused", "completed", "failed", "cancelled");

    /**
     * TalkifAI's retry guide: no_answer, busy and timeout (a ringing timeout, which Dialplane counts
     * as no answer) are called again, the 2nd attempt after 5 minutes, later ones after 30; carrier
     * errors, capacity refusals included, never.
     */
    static final RetryPolicy TALKIFAI_RETRIES = new RetryPolicy(
            EnumSet.of(RetryPolicy.Outcome.BUSY, RetryPolicy.Outcome.NO_ANSWER),
            List.of(Duration.ofMinutes(5), Duration.ofMinutes(30)));

    /** Reads stored custom fields back as sent: a number too large for a double stays what it was. */
    private static final JsonMapper EXACT = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final CampaignService campaigns;
    private final JsonMapper json;
    private final Clock clock;

    BatchController(CampaignService campaigns, JsonMapper json, Clock clock) {
        this.campaigns = campaigns;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping(path = "/batch/create", consumes = MediaType.APPLICATION_JSON_VALUE)
    BatchCreated createFromJson(Tenant tenant, @RequestBody JsonNode body) {
        return create(tenant, BatchRequests.fromJson(body));
    }

    @PostMapping(path = "/batch/create", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    BatchCreated createFromCsv(
            Tenant tenant,
            @RequestParam Map<String, String> form,
            @RequestParam(name = "file", required = false) @Nullable MultipartFile file) {
        try {
            var spec = file == null
                    ? BatchRequests.fromForm(form, null, 0)
                    : BatchRequests.fromForm(form, file.getInputStream(), file.getSize());
            return create(tenant, spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BatchCreated create(Tenant tenant, BatchRequests.Spec spec) {
        try {
            var caller = campaigns.caller(tenant, spec.fromPhoneNumberId());
            Instant start = null;
            if (spec.scheduledStartTime() != null) {
                start = future(spec.scheduledStartTime(), spec.zone());
            }
            campaigns.requireCredits(tenant, spec.contacts().size());
            var targets = new ArrayList<CampaignDraft.Target>();
            for (var contact : spec.contacts()) {
                var data = contactData(contact.name(), contact.variables());
                targets.add(new CampaignDraft.Target(
                        contact.phone(),
                        caller.number(),
                        data.isEmpty() ? null : json.writeValueAsString(data),
                        contact.name(),
                        contact.variables().isEmpty() ? null : json.writeValueAsString(contact.variables())));
            }
            var draft = new CampaignDraft(
                    caller.agentId(),
                    spec.name(),
                    targets,
                    start,
                    spec.concurrentCallLimit(),
                    spec.maxAttempts() > 1,
                    spec.maxAttempts() - 1,
                    null,
                    null,
                    CallPriority.LOW,
                    null,
                    TALKIFAI_RETRIES,
                    start == null,
                    CallDialect.TALKIFAI,
                    spec.description(),
                    spec.timezone());
            var campaign = campaigns.create(tenant, draft).campaign();
            var estimate = campaigns.estimate(tenant, campaign.total(), campaign.concurrentCalls());
            return new BatchCreated(
                    true,
                    campaign.id(),
                    campaign.total(),
                    estimate.durationText(),
                    estimate.costText(),
                    jobStatus(campaign.status()),
                    campaign.scheduleAt(),
                    start == null
                            ? "Batch job created with " + campaign.total()
                                    + " contacts; start it with POST /batch/jobs/" + campaign.id() + "/start"
                            : "Batch job scheduled with " + campaign.total() + " contacts; it starts at " + start + " ("
                                    + spec.scheduledStartTime() + " " + spec.timezone() + ")");
        } catch (ApiException e) {
            throw talkifai(e);
        }
    }

    @GetMapping("/batch/jobs")
    BatchJobList list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable String organizationId,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String page,
            @RequestParam(required = false) @Nullable String pageSize) {
        var problems = new ArrayList<FieldViolation>();
        if (organizationId != null
                && !organizationId.equals(tenant.organizationId().toString())) {
            // another organization's jobs are not found, as everything of another organization is
            throw ApiException.notFound(
                    NOT_FOUND,
                    "organizationId must be your own organization's id (" + tenant.organizationId()
                            + "), the one your API key belongs to; no other organization's jobs are visible.");
        }
        var statuses = List.<CampaignStatus>of();
        var none = false;
        if (status != null) {
            if (!JOB_STATUSES.contains(status)) {
                problems.add(new FieldViolation("status", "must be one of " + String.join(", ", JOB_STATUSES)));
            } else if (status.equals("failed")) {
                none = true;
            } else {
                statuses = List.of(campaignStatus(status));
            }
        }
        var pageNumber = number("page", page, 1, Integer.MAX_VALUE, 1, problems);
        var size = number("pageSize", pageSize, 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, problems);
        reject(problems);
        var total = none ? 0 : campaigns.count(tenant, statuses);
        var jobs = none
                ? List.<BatchJob>of()
                : campaigns.list(tenant, statuses, (long) (pageNumber - 1) * size, size).stream()
                        .map(c -> job(tenant, c))
                        .toList();
        return new BatchJobList(jobs, total, pageNumber, size);
    }

    @GetMapping("/batch/jobs/{id}")
    BatchJobDetail get(
            Tenant tenant,
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String contactStatus,
            @RequestParam(required = false) @Nullable String contactsPage,
            @RequestParam(required = false) @Nullable String contactsPageSize) {
        var jobId = jobId(id);
        var problems = new ArrayList<FieldViolation>();
        if (contactStatus != null && !CONTACT_STATUSES.contains(contactStatus)) {
            problems.add(new FieldViolation("contactStatus", "must be one of " + String.join(", ", CONTACT_STATUSES)));
        }
        var pageNumber = number("contactsPage", contactsPage, 1, Integer.MAX_VALUE, 1, problems);
        var size = number(
                "contactsPageSize", contactsPageSize, 1, MAX_CONTACTS_PAGE_SIZE, DEFAULT_CONTACTS_PAGE_SIZE, problems);
        reject(problems);
        try {
            var campaign = campaigns.get(tenant, jobId);
            var wanted = contactStatus;
            var total = campaigns.countContacts(tenant, jobId, wanted);
            var offset = (long) (pageNumber - 1) * size;
            var maxAttempts = maxAttempts(campaign);
            var contacts = campaigns.contactViews(tenant, jobId, wanted, offset, size).stream()
                    .map(c -> contact(c, maxAttempts))
                    .toList();
            var breakdown = new LinkedHashMap<String, Long>();
            var counts = campaigns.talkifaiBreakdown(tenant, jobId);
            CONTACT_STATUSES.forEach(s -> breakdown.put(s, counts.getOrDefault(s, 0L)));
            return new BatchJobDetail(
                    job(tenant, campaign),
                    breakdown,
                    estimatedCompletion(tenant, campaign),
                    new TalkifaiRetryPolicy(maxAttempts, retryableStatuses(campaign)),
                    contacts,
                    total,
                    pageNumber,
                    size,
                    offset + contacts.size() < total);
        } catch (ApiException e) {
            throw talkifai(e);
        }
    }

    @PostMapping("/batch/jobs/{id}/start")
    BatchStarted start(Tenant tenant, @PathVariable String id) {
        var jobId = jobId(id);
        try {
            var campaign = campaigns.start(tenant, jobId);
            var enqueued = campaign.count(ContactStatus.PENDING) + campaign.count(ContactStatus.CALLING);
            return new BatchStarted(
                    true,
                    campaign.status() == CampaignStatus.SCHEDULED
                            ? "Batch job scheduled: it starts at " + campaign.scheduleAt()
                            : "Batch job started: " + enqueued + " contacts enqueued",
                    campaign.id(),
                    job(tenant, campaign),
                    enqueued,
                    false,
                    campaign.startedAt());
        } catch (ApiException e) {
            throw talkifai(e);
        }
    }

    @PostMapping("/batch/jobs/{id}/cancel")
    BatchCancelled cancel(Tenant tenant, @PathVariable String id) {
        var jobId = jobId(id);
        try {
            var wasScheduled = campaigns.get(tenant, jobId).status() == CampaignStatus.SCHEDULED;
            var canceled = campaigns.cancelCounting(tenant, jobId);
            return new BatchCancelled(
                    true,
                    "Batch job cancelled: " + canceled.contactsCanceled()
                            + " contacts cancelled; calls already connected finish normally",
                    jobId,
                    job(tenant, canceled.campaign()),
                    wasScheduled,
                    canceled.contactsCanceled());
        } catch (ApiException e) {
            throw talkifai(e);
        }
    }

    /**
     * TalkifAI documents {@code PATCH} with query parameters, its platform guide {@code POST}: both,
     * and a JSON body with the same two fields is read too (the query wins).
     */
    @RequestMapping(
            path = "/batch/jobs/{id}/reschedule",
            method = {RequestMethod.PATCH, RequestMethod.POST})
    BatchRescheduled reschedule(
            Tenant tenant,
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String scheduledStartTime,
            @RequestParam(required = false) @Nullable String timezone,
            @RequestBody(required = false) @Nullable JsonNode body) {
        var jobId = jobId(id);
        var problems = new ArrayList<FieldViolation>();
        var when = scheduledStartTime != null ? scheduledStartTime : bodyText(body, "scheduledStartTime", problems);
        var zoneName = timezone != null ? timezone : bodyText(body, "timezone", problems);
        reject(problems);
        try {
            var campaign = campaigns.get(tenant, jobId);
            var zoneText =
                    zoneName != null ? zoneName.strip() : campaign.timezone() != null ? campaign.timezone() : "UTC";
            var zone = zone(zoneText);
            if (when == null) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        BatchRequests.VALIDATION_ERROR,
                        "scheduledStartTime is required: the new start, an ISO local date-time such as"
                                + " 2027-01-15T09:00:00 in timezone",
                        List.of(new FieldViolation("scheduledStartTime", "is required")),
                        Map.of());
            }
            LocalDateTime local;
            try {
                local = BatchRequests.localDateTime(when);
            } catch (DateTimeParseException e) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        BatchRequests.VALIDATION_ERROR,
                        "scheduledStartTime must be an ISO local date-time without an offset, such as"
                                + " 2027-01-15T09:00:00 (the zone goes in timezone)",
                        List.of(new FieldViolation("scheduledStartTime", "must be an ISO local date-time")),
                        Map.of());
            }
            var at = future(local, zone);
            var wasScheduled = campaign.status() == CampaignStatus.SCHEDULED;
            var rescheduled = campaigns.reschedule(tenant, jobId, at, zoneText);
            return new BatchRescheduled(
                    true,
                    "Batch job rescheduled to " + at + " (" + local + " " + zoneText + ")",
                    jobId,
                    job(tenant, rescheduled),
                    wasScheduled,
                    jobId);
        } catch (ApiException e) {
            throw talkifai(e);
        }
    }

    // ---- mapping

    private BatchJob job(Tenant tenant, Campaign campaign) {
        var estimate = campaigns.estimate(tenant, campaign.total(), campaign.concurrentCalls());
        return new BatchJob(
                campaign.id(),
                campaign.name(),
                campaign.description(),
                jobStatus(campaign.status()),
                campaign.agentId(),
                campaign.total(),
                campaign.concurrentCalls(),
                maxAttempts(campaign),
                campaign.scheduleAt(),
                campaign.timezone() == null ? "UTC" : campaign.timezone(),
                campaign.startedAt(),
                campaign.completedAt(),
                estimate.durationText(),
                estimate.costText(),
                campaign.statusReason(),
                campaign.createdAt());
    }

    /** When the contacts not called yet will have been, at the estimate's pace; null once it ended or while a draft. */
    private @Nullable Instant estimatedCompletion(Tenant tenant, Campaign campaign) {
        var left = campaign.count(ContactStatus.PENDING) + campaign.count(ContactStatus.CALLING);
        var estimate = campaigns.estimate(tenant, left, campaign.concurrentCalls());
        return switch (campaign.status()) {
            case RUNNING, PAUSED -> clock.instant().plus(estimate.duration());
            case SCHEDULED ->
                campaign.scheduleAt() == null ? null : campaign.scheduleAt().plus(estimate.duration());
            default -> null;
        };
    }

    private BatchContact contact(CampaignContactView contact, int maxAttempts) {
        var status = contact.talkifaiStatus();
        var failed = !List.of("pending", "queued", "dialing", "completed").contains(status);
        var reason = !failed ? null : contact.lastError() != null ? contact.lastError() : contact.lastEndReason();
        Map<String, Object> data = new LinkedHashMap<>();
        if (contact.variables() != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = EXACT.readValue(contact.variables(), Map.class);
            data = contactData(contact.name(), variables);
        } else if (contact.name() != null) {
            data.put("name", contact.name());
        }
        return new BatchContact(
                contact.id(),
                contact.toNumber(),
                data,
                status,
                contact.sipCode() == null ? null : contact.sipCode().toString(),
                contact.attempts(),
                maxAttempts,
                contact.lastAttemptAt(),
                contact.nextAttemptAt() != null && contact.attempts() > 0 ? contact.nextAttemptAt() : null,
                contact.completedAt(),
                contact.roomName(),
                reason,
                contact.callSeconds());
    }

    /** What the agent gets in the call's context: the contact's name and custom fields. */
    private static Map<String, Object> contactData(@Nullable String name, Map<String, Object> variables) {
        var data = new LinkedHashMap<String, Object>();
        if (name != null) {
            data.put("name", name);
        }
        data.putAll(variables);
        return data;
    }

    private static int maxAttempts(Campaign campaign) {
        return campaign.retryFailed() ? campaign.retryAttempts() + 1 : 1;
    }

    /** The TalkifAI statuses of the outcomes the campaign retries (voicemail has none). */
    private static List<String> retryableStatuses(Campaign campaign) {
        var statuses = new ArrayList<String>();
        var on = campaign.retryPolicy().on();
        if (on.contains(RetryPolicy.Outcome.NO_ANSWER)) {
            statuses.add("no_answer");
        }
        if (on.contains(RetryPolicy.Outcome.BUSY)) {
            statuses.add("busy");
        }
        if (on.contains(RetryPolicy.Outcome.NO_ANSWER)) {
            statuses.add("timeout");
        }
        if (on.contains(RetryPolicy.Outcome.CARRIER_CAPACITY)) {
            statuses.add("carrier_error");
        }
        return statuses;
    }

    static String jobStatus(CampaignStatus status) {
        return switch (status) {
            case DRAFT -> "pending";
            case CANCELED -> "cancelled";
            default -> status.toString();
        };
    }

    private static CampaignStatus campaignStatus(String jobStatus) {
        return switch (jobStatus) {
            case "pending" -> CampaignStatus.DRAFT;
            case "cancelled" -> CampaignStatus.CANCELED;
            default -> CampaignStatus.valueOf(jobStatus.toUpperCase(java.util.Locale.ROOT));
        };
    }

    // ---- input

    /** {@code local} in {@code zone}, which must lie ahead (else TalkifAI's {@code past_scheduled_time}). */
    private Instant future(LocalDateTime local, ZoneId zone) {
        var at = local.atZone(zone).toInstant();
        var now = clock.instant();
        if (!at.isAfter(now)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    BatchRequests.PAST_SCHEDULED_TIME,
                    "scheduledStartTime " + local + " in " + zone + " (" + at + ") is not in the future; now is " + now
                            + ".",
                    List.of(new FieldViolation("scheduledStartTime", "must be in the future")),
                    Map.of());
        }
        return at;
    }

    private static ZoneId zone(String name) {
        if (!name.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(name)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    BatchRequests.INVALID_TIMEZONE,
                    "timezone is not an IANA time zone, such as America/New_York or Europe/London",
                    List.of(new FieldViolation("timezone", "must be an IANA time zone")),
                    Map.of());
        }
        return ZoneId.of(name);
    }

    private static @Nullable String bodyText(@Nullable JsonNode body, String field, List<FieldViolation> problems) {
        if (body == null || !body.isObject()) {
            return null;
        }
        var node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            problems.add(new FieldViolation(field, "must be a string"));
            return null;
        }
        return node.asString();
    }

    /** A job id: any text that is not one of the organization's campaign ids is simply not found. */
    private static UUID jobId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(NOT_FOUND, "No batch job with that id in your organization.");
        }
    }

    private static int number(
            String field, @Nullable String raw, int min, int max, int otherwise, List<FieldViolation> problems) {
        if (raw == null || raw.isBlank()) {
            return otherwise;
        }
        try {
            var value = Integer.parseInt(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new FieldViolation(
                field,
                max == Integer.MAX_VALUE
                        ? "must be an integer of at least " + min
                        : "must be an integer between " + min + " and " + max));
        return otherwise;
    }

    private static void reject(List<FieldViolation> problems) {
        if (!problems.isEmpty()) {
            var first = problems.getFirst();
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    BatchRequests.VALIDATION_ERROR,
                    first.field() + ": " + first.message(),
                    problems,
                    Map.of());
        }
    }

    /** Dialplane's codes of the errors TalkifAI documents, in TalkifAI's words. */
    private static ApiException talkifai(ApiException e) {
        var code = switch (e.code()) {
            case "INSUFFICIENT_CREDITS" -> "insufficient_credits";
            case "NO_OUTBOUND_AGENT" -> "no_outbound_agent";
            case "PHONE_NUMBER_NOT_FOUND", "CAMPAIGN_NOT_FOUND" -> NOT_FOUND;
            case CampaignService.SCHEDULE_IN_PAST -> BatchRequests.PAST_SCHEDULED_TIME;
            default -> null;
        };
        if (code == null) {
            return e;
        }
        var status = code.equals(BatchRequests.PAST_SCHEDULED_TIME) ? HttpStatus.BAD_REQUEST : e.status();
        var message = java.util.Objects.requireNonNullElse(e.getMessage(), code);
        if (code.equals(NOT_FOUND) && e.code().equals("CAMPAIGN_NOT_FOUND")) {
            message = message.replace("No campaign", "No batch job");
        }
        if (code.equals(NOT_FOUND) && e.code().equals("PHONE_NUMBER_NOT_FOUND")) {
            message = "fromPhoneNumberId: " + message;
        }
        return new ApiException(status, code, message, e.violations(), e.properties());
    }

    // ---- TalkifAI's bodies (camelCase: each name of more than one word is spelled out)

    record BatchCreated(
            boolean success,
            @JsonProperty("batchJobId") UUID batchJobId,
            @JsonProperty("totalContacts") long totalContacts,
            @JsonProperty("estimatedDuration") String estimatedDuration,
            @JsonProperty("estimatedCost") String estimatedCost,
            String status,
            @JsonProperty("scheduledStartTime") @Nullable Instant scheduledStartTime,
            String message) {}

    /** A batch job: the campaign in TalkifAI's names. */
    record BatchJob(
            UUID id,
            String name,
            @Nullable String description,
            String status,
            @JsonProperty("agentId") UUID agentId,
            @JsonProperty("totalContacts") long totalContacts,
            @JsonProperty("concurrentCallLimit") int concurrentCallLimit,
            @JsonProperty("maxAttempts") int maxAttempts,
            @JsonProperty("scheduledStartTime") @Nullable Instant scheduledStartTime,
            String timezone,
            @JsonProperty("actualStartTime") @Nullable Instant actualStartTime,
            @JsonProperty("completedAt") @Nullable Instant completedAt,
            @JsonProperty("estimatedDuration") String estimatedDuration,
            @JsonProperty("estimatedCost") String estimatedCost,
            @JsonProperty("statusReason") @Nullable String statusReason,
            @JsonProperty("createdAt") Instant createdAt) {}

    record BatchJobList(
            @JsonProperty("batchJobs") List<BatchJob> batchJobs,
            long total,
            int page,
            @JsonProperty("pageSize") int pageSize) {}

    record TalkifaiRetryPolicy(
            @JsonProperty("maxAttempts") int maxAttempts,
            @JsonProperty("retryableStatuses") List<String> retryableStatuses) {}

    record BatchContact(
            UUID id,
            @JsonProperty("phoneNumber") String phoneNumber,
            @JsonProperty("contactData") Map<String, Object> contactData,
            String status,
            @JsonProperty("errorCode") @Nullable String errorCode,
            @JsonProperty("attemptCount") int attemptCount,
            @JsonProperty("maxAttempts") int maxAttempts,
            @JsonProperty("lastAttemptAt") @Nullable Instant lastAttemptAt,
            @JsonProperty("nextRetryAt") @Nullable Instant nextRetryAt,
            @JsonProperty("completedAt") @Nullable Instant completedAt,
            @JsonProperty("roomName") @Nullable String roomName,
            @JsonProperty("failureReason") @Nullable String failureReason,
            @JsonProperty("callDuration") @Nullable Integer callDuration) {}

    record BatchJobDetail(
            @JsonUnwrapped BatchJob job,
            @JsonProperty("statusBreakdown") Map<String, Long> statusBreakdown,

            @JsonProperty("estimatedCompletionTime") @Nullable Instant estimatedCompletionTime,

            @JsonProperty("retryPolicy") TalkifaiRetryPolicy retryPolicy,
            List<BatchContact> contacts,
            @JsonProperty("contactsTotal") long contactsTotal,
            @JsonProperty("contactsPage") int contactsPage,
            @JsonProperty("contactsPageSize") int contactsPageSize,
            @JsonProperty("contactsHasMore") boolean contactsHasMore) {}

    record BatchStarted(
            boolean success,
            String message,
            @JsonProperty("batchJobId") UUID batchJobId,
            @JsonUnwrapped BatchJob job,
            @JsonProperty("contactsEnqueued") long contactsEnqueued,
            @JsonProperty("redisJobCancelled") boolean redisJobCancelled,
            @JsonProperty("startedAt") @Nullable Instant startedAt) {}

    record BatchCancelled(
            boolean success,
            String message,
            @JsonProperty("batchJobId") UUID batchJobId,
            @JsonUnwrapped BatchJob job,
            @JsonProperty("redisJobCancelled") boolean redisJobCancelled,
            @JsonProperty("contactsCancelled") int contactsCancelled) {}

    record BatchRescheduled(
            boolean success,
            String message,
            @JsonProperty("batchJobId") UUID batchJobId,
            @JsonUnwrapped BatchJob job,
            @JsonProperty("oldJobCancelled") boolean oldJobCancelled,
            @JsonProperty("newScheduledJobId") UUID newScheduledJobId) {}
}
