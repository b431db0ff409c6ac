package dev.dialplane.campaigns.web;

import dev.dialplane.calls.CallPriority;
import dev.dialplane.campaigns.Campaign;
import dev.dialplane.campaigns.CampaignDraft;
import dev.dialplane.campaigns.CampaignService;
import dev.dialplane.campaigns.CampaignStatus;
import dev.dialplane.campaigns.ContactStatus;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.Fields;
import dev.dialplane.common.web.LaxTypes;
import dev.dialplane.common.web.MultiLine;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.compliance.web.CallingWindowForm;
import dev.dialplane.orgs.Tenant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * MrAssistant-compatible {@code POST /campaigns} (every field, range and default of that API) and
 * {@code GET /campaigns/{id}}, plus Dialplane's list and {@code pause}, {@code resume} and
 * {@code cancel}. Schema and range errors are one 422 in FastAPI's form, listing every bad field.
 */
@RestController
@LaxTypes
class CampaignController {

    static final int MAX_CONTEXT_CHARS = CampaignDraft.MAX_CONTEXT_CHARS;

    private final CampaignService campaigns;
    private final RequestValidator validator;
    private final JsonMapper json;

    CampaignController(CampaignService campaigns, RequestValidator validator, JsonMapper json) {
        this.campaigns = campaigns;
        this.validator = validator;
        this.json = json;
    }

    /** 200 with the campaign, as FastAPI answers a create that declares no other status. */
    @PostMapping("/campaigns")
    CampaignResponse create(Tenant tenant, @RequestBody CampaignRequest request) {
        RequestValidator.reject(validator.violations(request));
        var targets = new ArrayList<CampaignDraft.Target>();
        for (var target : java.util.Objects.requireNonNull(request.targets())) {
            var context = new LinkedHashMap<String, Object>();
            if (request.context() != null) {
                context.putAll(request.context());
            }
            if (target.context() != null) {
                context.putAll(target.context());
            }
            targets.add(new CampaignDraft.Target(
                    java.util.Objects.requireNonNull(Fields.e164("", target.toNumber(), new ArrayList<>())),
                    target.fromNumber() == null ? null : Fields.e164("", target.fromNumber(), new ArrayList<>()),
                    context.isEmpty() ? null : json.writeValueAsString(context)));
        }
        var draft = new CampaignDraft(
                java.util.Objects.requireNonNull(request.agentId()),
                java.util.Objects.requireNonNull(request.name()),
                targets,
                Fields.instant("schedule_at", request.scheduleAt(), new ArrayList<>()),
                request.concurrentCalls() == null ? 1 : request.concurrentCalls(),
                Boolean.TRUE.equals(request.retryFailed()),
                request.retryAttempts() == null ? 0 : request.retryAttempts(),
                request.context() == null ? null : json.writeValueAsString(request.context()),
                request.callingWindow() == null ? null : request.callingWindow().toWindow(),
                request.priority() == null ? CallPriority.LOW : CallPriority.parse(request.priority()));
        return CampaignResponse.of(campaigns.create(tenant, draft));
    }

    @GetMapping("/campaigns")
    Page<CampaignResponse> list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return campaigns.list(tenant, PageRequest.of(limit, cursor)).map(CampaignResponse::of);
    }

    @GetMapping("/campaigns/{id}")
    CampaignResponse get(Tenant tenant, @PathVariable UUID id) {
        return CampaignResponse.of(campaigns.get(tenant, id));
    }

    @PostMapping("/campaigns/{id}/pause")
    CampaignResponse pause(Tenant tenant, @PathVariable UUID id) {
        return CampaignResponse.of(campaigns.pause(tenant, id));
    }

    @PostMapping("/campaigns/{id}/resume")
    CampaignResponse resume(Tenant tenant, @PathVariable UUID id) {
        return CampaignResponse.of(campaigns.resume(tenant, id));
    }

    @PostMapping("/campaigns/{id}/cancel")
    CampaignResponse cancel(Tenant tenant, @PathVariable UUID id) {
        return CampaignResponse.of(campaigns.cancel(tenant, id));
    }

    private static int contextLength(Map<String, Object> context) {
        return JsonMapper.shared().writeValueAsString(context).length();
    }

    /** One person to call: MrAssistant's target model. */
    record TargetRequest(
            @NotNull(message = "is required") String toNumber,
            @Nullable String fromNumber,
            @Nullable @MultiLine Map<String, Object> context) {}

    /** MrAssistant's campaign model, field for field. Absent fields take the documented defaults. */
    record CampaignRequest(
            @NotNull(message = "is required") UUID agentId,

            @NotNull(message = "is required") @Size(min = 1, max = 255, message = "must be 1 to 255 characters") @SingleLine
            String name,

            @NotNull(message = "is required") @Size(min = 1, max = 1000, message = "must have 1 to 1000 targets") List<TargetRequest> targets,

            @Nullable String scheduleAt,

            @Nullable @Min(value = 1, message = "must be between 1 and 10") @Max(value = 10, message = "must be between 1 and 10") Integer concurrentCalls,

            @Nullable Boolean retryFailed,

            @Nullable @Min(value = 0, message = "must be between 0 and 3") @Max(value = 3, message = "must be between 0 and 3") Integer retryAttempts,

            @Nullable @MultiLine Map<String, Object> context,
            @Nullable String webhookUrl,
            @Nullable String webhookSecret,
            @Nullable Boolean notifyOnCallComplete,
            @Nullable @Valid CallingWindowForm callingWindow,

            @Nullable @Pattern(regexp = "^(low|normal|high|urgent)$", message = "must match ^(low|normal|high|urgent)$")
            String priority)
            implements RequestValidator.Checked {

        @Override
        public String toString() {
            // the webhook secret stays out of logs
            return "CampaignRequest[agentId=" + agentId + ", name=" + name + ", targets="
                    + (targets == null ? null : targets.size()) + "]";
        }

        /** What Bean Validation cannot say: numbers in E.164, each once, the contexts' size, the webhook. */
        @Override
        public List<FieldViolation> check() {
            var violations = new ArrayList<FieldViolation>();
            Fields.instant("schedule_at", scheduleAt, violations);
            if (callingWindow != null) {
                callingWindow.check("calling_window", violations);
            }
            if (webhookUrl != null) {
                violations.add(new FieldViolation(
                        "webhook_url",
                        "campaign webhooks are not delivered yet; leave webhook_url out and register a webhook"
                                + " endpoint (POST /webhook-endpoints) to receive each campaign call's call.* events"));
            }
            if (context != null && contextLength(context) > MAX_CONTEXT_CHARS) {
                violations.add(
                        new FieldViolation("context", "must be at most " + MAX_CONTEXT_CHARS + " characters as JSON"));
            }
            if (targets != null) {
                var seen = new HashMap<String, Integer>();
                for (int i = 0; i < targets.size(); i++) {
                    var target = targets.get(i);
                    var prefix = "targets[" + i + "].";
                    if (target == null) {
                        violations.add(new FieldViolation("targets[" + i + "]", "must be an object"));
                        continue;
                    }
                    var to = Fields.e164(prefix + "to_number", target.toNumber(), violations);
                    Fields.e164(prefix + "from_number", target.fromNumber(), violations);
                    if (to != null) {
                        var first = seen.putIfAbsent(to, i);
                        if (first != null) {
                            violations.add(new FieldViolation(
                                    prefix + "to_number",
                                    "duplicates targets[" + first + "].to_number (" + to
                                            + "): a number is called once per campaign"));
                        }
                    }
                    if (target.context() != null) {
                        var merged = new LinkedHashMap<String, Object>();
                        if (context != null) {
                            merged.putAll(context);
                        }
                        merged.putAll(target.context());
                        if (contextLength(merged) > MAX_CONTEXT_CHARS) {
                            violations.add(new FieldViolation(
                                    prefix + "context",
                                    "merged over the campaign's context, must be at most " + MAX_CONTEXT_CHARS
                                            + " characters as JSON"));
                        }
                    }
                }
            }
            return violations;
        }
    }

    /** How many of the campaign's contacts are in each status. */
    record ContactCounts(long pending, long calling, long completed, long failed, long blocked, long canceled) {}

    /**
     * MrAssistant's campaign response, computed from the contacts when read. {@code calls_initiated}:
     * targets with a call placed; {@code calls_completed}: answered; {@code calls_failed}: not
     * answered after their last attempt, or blocked (do-not-call). Dialplane adds the counts by
     * contact status and the campaign's settings.
     */
    record CampaignResponse(
            UUID campaignId,
            UUID agentId,
            String name,
            long totalTargets,
            CampaignStatus status,
            @Nullable Instant scheduledAt,
            @Nullable Instant startedAt,
            long callsInitiated,
            long callsCompleted,
            long callsFailed,
            @Nullable Instant completedAt,
            int concurrentCalls,
            boolean retryFailed,
            int retryAttempts,
            @Nullable CallingWindowForm callingWindow,
            CallPriority priority,
            @Nullable String statusReason,
            ContactCounts contacts,
            Instant createdAt) {

        static CampaignResponse of(Campaign campaign) {
            return new CampaignResponse(
                    campaign.id(),
                    campaign.agentId(),
                    campaign.name(),
                    campaign.total(),
                    campaign.status(),
                    campaign.scheduleAt(),
                    campaign.startedAt(),
                    campaign.callsInitiated(),
                    campaign.count(ContactStatus.COMPLETED),
                    campaign.count(ContactStatus.FAILED) + campaign.count(ContactStatus.BLOCKED),
                    campaign.completedAt(),
                    campaign.concurrentCalls(),
                    campaign.retryFailed(),
                    campaign.retryAttempts(),
                    campaign.callingWindow() == null ? null : CallingWindowForm.of(campaign.callingWindow()),
                    campaign.priority(),
                    campaign.statusReason(),
                    new ContactCounts(
                            campaign.count(ContactStatus.PENDING),
                            campaign.count(ContactStatus.CALLING),
                            campaign.count(ContactStatus.COMPLETED),
                            campaign.count(ContactStatus.FAILED),
                            campaign.count(ContactStatus.BLOCKED),
                            campaign.count(ContactStatus.CANCELED)),
                    campaign.createdAt());
        }
    }
}
