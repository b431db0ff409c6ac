package dev.dialplane.campaigns.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.dialplane.calls.CallPriority;
import dev.dialplane.campaigns.CampaignDraft;
import dev.dialplane.campaigns.CampaignEvent;
import dev.dialplane.campaigns.CampaignRequests;
import dev.dialplane.campaigns.CampaignService;
import dev.dialplane.campaigns.CampaignStatus;
import dev.dialplane.campaigns.CampaignView;
import dev.dialplane.campaigns.CampaignWebhook;
import dev.dialplane.campaigns.RetryPolicy;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.Fields;
import dev.dialplane.common.web.LaxTypes;
import dev.dialplane.common.web.MultiLine;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.common.web.WebhookUrl;
import dev.dialplane.compliance.CallingWindowForm;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * MrAssistant-compatible {@code POST /campaigns} (every field, range and default of that API, plus
 * Dialplane's {@code draft}) and {@code GET /campaigns/{id}}, plus Dialplane's list and
 * {@code start}, {@code pause}, {@code resume} and {@code cancel}. Schema and range errors are one 422 in FastAPI's form, listing every bad field.
 */
@RestController
@LaxTypes
class CampaignController implements CampaignRequests {

    static final int MAX_CONTEXT_CHARS = CampaignDraft.MAX_CONTEXT_CHARS;
    static final int MIN_SECRET_CHARS = 8;
    static final int MAX_SECRET_CHARS = 256;
    static final String STANDARD_SECRET_PREFIX = "whsec_";

    private final CampaignService campaigns;
    private final RequestValidator validator;
    private final JsonMapper json;

    CampaignController(CampaignService campaigns, RequestValidator validator, JsonMapper json) {
        this.campaigns = campaigns;
        this.validator = validator;
        this.json = json;
    }

    /**
     * 200 with the campaign, as FastAPI answers a create that declares no other status. A webhook
     * secret Dialplane generated (none given) is in this response only.
     */
    @PostMapping("/campaigns")
    CreatedCampaignResponse create(Tenant tenant, @RequestBody CampaignRequest request) {
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
        var draft = draftOf(request, targets, Boolean.TRUE.equals(request.draft()));
        var created = campaigns.create(tenant, draft);
        return new CreatedCampaignResponse(CampaignView.of(created.campaign()), created.generatedWebhookSecret());
    }

    /**
     * Studio's form: the body read and checked by this route's own rules, with no targets (Studio
     * appends them from its upload as {@code POST /campaigns/{id}/targets} does); a draft.
     */
    @Override
    public CampaignDraft readDraft(Map<String, Object> body) {
        CampaignRequest request;
        try {
            request = json.convertValue(body, CampaignRequest.class);
        } catch (JacksonException e) {
            var field = e.getPath().isEmpty()
                    ? "body"
                    : String.valueOf(e.getPath().getLast().getPropertyName());
            throw ApiException.invalid(field, "is not a valid value");
        }
        RequestValidator.reject(validator.violations(request).stream()
                .filter(v -> !v.field().equals("targets"))
                .toList());
        return draftOf(request, List.of(), true);
    }

    private CampaignDraft draftOf(CampaignRequest request, List<CampaignDraft.Target> targets, boolean draft) {
        return CampaignDraft.mrAssistant(
                java.util.Objects.requireNonNull(request.agentId()),
                java.util.Objects.requireNonNull(request.name()),
                targets,
                Fields.instant("schedule_at", request.scheduleAt(), new ArrayList<>()),
                request.concurrentCalls() == null ? 1 : request.concurrentCalls(),
                Boolean.TRUE.equals(request.retryFailed()),
                request.retryAttempts() == null ? 0 : request.retryAttempts(),
                request.context() == null ? null : json.writeValueAsString(request.context()),
                request.callingWindow() == null ? null : request.callingWindow().toWindow(),
                request.priority() == null ? CallPriority.LOW : CallPriority.parse(request.priority()),
                request.webhookUrl() == null
                        ? null
                        : new CampaignWebhook(
                                request.webhookUrl(),
                                request.webhookSecret(),
                                Boolean.TRUE.equals(request.notifyOnCallComplete())),
                request.retryPolicy() == null
                        ? RetryPolicy.DEFAULT
                        : request.retryPolicy().toPolicy(),
                draft);
    }

    @GetMapping("/campaigns")
    Page<CampaignView> list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return campaigns.list(tenant, PageRequest.of(limit, cursor)).map(CampaignView::of);
    }

    @GetMapping("/campaigns/{id}")
    CampaignView get(Tenant tenant, @PathVariable UUID id) {
        return CampaignView.of(campaigns.get(tenant, id));
    }

    /**
     * Progress and estimates: the dial rate over the last ten minutes, the expected end, and what
     * the contacts not called yet should cost and take, with the assumptions stated.
     */
    @GetMapping("/campaigns/{id}/progress")
    ProgressResponse progress(Tenant tenant, @PathVariable UUID id) {
        return ProgressResponse.of(campaigns.progress(tenant, id));
    }

    /** Every change of the campaign's status, in sequence order. */
    @GetMapping("/campaigns/{id}/events")
    EventList events(Tenant tenant, @PathVariable UUID id) {
        return new EventList(campaigns.events(tenant, id));
    }

    /** Starts a draft: running, or scheduled when its {@code schedule_at} lies ahead. */
    @PostMapping("/campaigns/{id}/start")
    CampaignView start(Tenant tenant, @PathVariable UUID id) {
        return CampaignView.of(campaigns.start(tenant, id));
    }

    @PostMapping("/campaigns/{id}/pause")
    CampaignView pause(Tenant tenant, @PathVariable UUID id) {
        return CampaignView.of(campaigns.pause(tenant, id));
    }

    @PostMapping("/campaigns/{id}/resume")
    CampaignView resume(Tenant tenant, @PathVariable UUID id) {
        return CampaignView.of(campaigns.resume(tenant, id));
    }

    @PostMapping("/campaigns/{id}/cancel")
    CampaignView cancel(Tenant tenant, @PathVariable UUID id) {
        return CampaignView.of(campaigns.cancel(tenant, id));
    }

    private static int contextLength(Map<String, Object> context) {
        return JsonMapper.shared().writeValueAsString(context).length();
    }

    /** One person to call: MrAssistant's target model. */
    record TargetRequest(
            @NotNull(message = "is required") String toNumber,
            @Nullable String fromNumber,
            @Nullable @MultiLine Map<String, Object> context) {}

    /**
     * MrAssistant's campaign model, field for field, and Dialplane's {@code draft} (default false:
     * stored, nothing called until {@code POST /campaigns/{id}/start}). Absent fields take the
     * documented defaults.
     */
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

            @Nullable @Size(max = 2048, message = "must be at most 2048 characters") @SingleLine(readable = false)
            @WebhookUrl
            String webhookUrl,

            // checked by hand in check(): Bean Validation would echo the value as the 422's input
            @Nullable String webhookSecret,
            @Nullable Boolean notifyOnCallComplete,
            @Nullable @Valid CallingWindowForm callingWindow,

            @Nullable @Pattern(regexp = "^(low|normal|high|urgent)$", message = "must match ^(low|normal|high|urgent)$")
            String priority,

            @Nullable RetryPolicyForm retryPolicy,

            @Nullable Boolean draft)
            implements RequestValidator.Checked {

        @Override
        public String toString() {
            // the webhook secret stays out of logs
            return "CampaignRequest[agentId=" + agentId + ", name=" + name + ", targets="
                    + (targets == null ? null : targets.size()) + "]";
        }

        /**
         * {@code webhook_secret}: 8 to 256 characters without spaces or control characters; one in
         * Standard Webhooks' form ({@code whsec_} + base64) must decode to 24 to 64 bytes, the
         * specification's sizes. Messages name the field, never the value.
         */
        private void checkWebhook(List<FieldViolation> violations) {
            if (webhookUrl == null) {
                if (webhookSecret != null) {
                    violations.add(new FieldViolation(
                            "webhook_secret", "needs webhook_url: it signs the messages sent there"));
                }
                if (Boolean.TRUE.equals(notifyOnCallComplete)) {
                    violations.add(new FieldViolation(
                            "notify_on_call_complete",
                            "needs webhook_url: the call events are sent there (or leave it false)"));
                }
                return;
            }
            if (webhookSecret == null) {
                return;
            }
            if (webhookSecret.length() < MIN_SECRET_CHARS || webhookSecret.length() > MAX_SECRET_CHARS) {
                violations.add(new FieldViolation(
                        "webhook_secret",
                        "must be " + MIN_SECRET_CHARS + " to " + MAX_SECRET_CHARS + " characters long"));
            } else if (webhookSecret
                    .codePoints()
                    .anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                violations.add(new FieldViolation("webhook_secret", "must not contain spaces or control characters"));
            } else if (webhookSecret.startsWith(STANDARD_SECRET_PREFIX)) {
                var bytes = decodedLength(webhookSecret.substring(STANDARD_SECRET_PREFIX.length()));
                if (bytes < 24 || bytes > 64) {
                    violations.add(new FieldViolation(
                            "webhook_secret",
                            "starts with whsec_, so the rest must be the base64 of 24 to 64 bytes (Standard"
                                    + " Webhooks' form); a secret without that prefix is used as its UTF-8 bytes"));
                }
            }
        }

        /** The number of bytes a base64 text decodes to, or -1 when it is not base64. */
        private static int decodedLength(String base64) {
            try {
                return java.util.Base64.getDecoder().decode(base64).length;
            } catch (IllegalArgumentException e) {
                return -1;
            }
        }

        /** What Bean Validation cannot say: numbers in E.164, each once, the contexts' size, the webhook. */
        @Override
        public List<FieldViolation> check() {
            var violations = new ArrayList<FieldViolation>();
            Fields.instant("schedule_at", scheduleAt, violations);
            if (callingWindow != null) {
                callingWindow.check("calling_window", violations);
            }
            if (retryPolicy != null) {
                retryPolicy.check("retry_policy", violations);
            }
            checkWebhook(violations);
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

    /**
     * The create response: the campaign as {@code GET /campaigns/{id}} shows it, and the webhook
     * signing secret Dialplane generated when the client gave a {@code webhook_url} without a
     * {@code webhook_secret} (null otherwise). It is shown this once.
     */
    record CreatedCampaignResponse(
            @JsonUnwrapped CampaignView campaign, @Nullable String webhookSecret) {

        @Override
        public String toString() {
            return "CreatedCampaignResponse[campaign=" + campaign + ", webhookSecret=<redacted>]";
        }
    }

    /** {@code {"data": [...]}}: a campaign's events, oldest first. */
    record EventList(List<CampaignEvent> data) {}

    /**
     * A campaign's progress. {@code estimated_completion_at} is null unless it is running;
     * {@code basis} says whether it rests on the observed dial rate or on the assumptions.
     */
    record ProgressResponse(
            UUID campaignId,
            CampaignStatus status,
            long totalTargets,
            long remaining,
            double dialRatePerMinute,
            @Nullable Instant estimatedCompletionAt,
            @Nullable String basis,
            java.math.BigDecimal estimatedCost,
            long estimatedDurationSeconds,
            Assumptions assumptions) {

        static ProgressResponse of(dev.dialplane.campaigns.CampaignProgress progress) {
            return new ProgressResponse(
                    progress.campaignId(),
                    progress.status(),
                    progress.total(),
                    progress.remaining(),
                    progress.dialRatePerMinute(),
                    progress.estimatedCompletionAt(),
                    progress.basis(),
                    progress.estimatedCost(),
                    progress.estimatedDuration().toSeconds(),
                    Assumptions.STATED);
        }
    }

    /**
     * What the estimates assume: each remaining contact is called once, answered and billed
     * {@code billed_minutes_per_contact} minutes, each call takes {@code call_length_seconds} from
     * dial to hang-up, {@code concurrent_calls} at a time; the dial rate is measured over
     * {@code rate_window_minutes}. Retries, unanswered calls and calling windows move the real
     * figures either way.
     */
    record Assumptions(int billedMinutesPerContact, long callLengthSeconds, long rateWindowMinutes) {

        static final Assumptions STATED = new Assumptions(
                dev.dialplane.campaigns.CampaignEstimates.ASSUMED_BILLED_MINUTES,
                dev.dialplane.campaigns.CampaignEstimates.ASSUMED_CALL_LENGTH.toSeconds(),
                dev.dialplane.campaigns.CampaignProgress.RATE_WINDOW.toMinutes());
    }
}
