package dev.dialplane.compliance.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.JsonMergePatch;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.compliance.AttemptCaps;
import dev.dialplane.compliance.CallingWindowForm;
import dev.dialplane.compliance.CompliancePolicy;
import dev.dialplane.compliance.CompliancePolicyService;
import dev.dialplane.compliance.PolicyChange;
import dev.dialplane.orgs.Tenant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The organization's compliance policy. {@code PUT} takes the fields to set: a field left out keeps
 * its value and {@code null} turns a window or a cap off (a merge, so a client cannot switch the
 * window off by forgetting it); the result is validated as a whole and the change recorded.
 */
@RestController
@RequestMapping("/compliance-policy")
class CompliancePolicyController {

    private final CompliancePolicyService policies;
    private final JsonMergePatch patcher;

    CompliancePolicyController(CompliancePolicyService policies, JsonMergePatch patcher) {
        this.policies = policies;
        this.patcher = patcher;
    }

    @GetMapping
    PolicyResource get(Tenant tenant) {
        return PolicyResource.of(policies.get(tenant));
    }

    @PutMapping
    PolicyResource update(Tenant tenant, @RequestBody JsonNode body) {
        var current = PolicyRequest.of(policies.get(tenant));
        var merged = patcher.apply(current, body, PolicyRequest.class);
        return PolicyResource.of(policies.update(tenant, merged.toPolicy()));
    }

    @GetMapping("/history")
    Page<PolicyChangeResource> history(
            Tenant tenant,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return policies.history(tenant, PageRequest.of(limit, cursor)).map(PolicyChangeResource::of);
    }

    /** Counts are range-checked in {@link PolicyRequest#check}, where the fields get their JSON names. */
    record CapsForm(
            @JsonProperty("per_24h") @Nullable Integer per24h,
            @JsonProperty("per_7d") @Nullable Integer per7d) {}

    record PolicyRequest(
            @Nullable @Valid CallingWindowForm callingWindow,
            @Nullable @Valid CapsForm maxAttemptsPerNumber,
            @NotNull(message = "is required") Boolean dncEnforced)
            implements RequestValidator.Checked {

        static PolicyRequest of(CompliancePolicy policy) {
            var window = policy.callingWindow();
            var caps = policy.maxAttemptsPerNumber();
            return new PolicyRequest(
                    window == null ? null : CallingWindowForm.of(window),
                    caps == null ? null : new CapsForm(caps.per24h(), caps.per7d()),
                    policy.dncEnforced());
        }

        @Override
        public List<FieldViolation> check() {
            var violations = new ArrayList<FieldViolation>();
            if (callingWindow != null) {
                callingWindow.check("calling_window", violations);
            }
            if (maxAttemptsPerNumber != null) {
                cap(violations, "max_attempts_per_number.per_24h", maxAttemptsPerNumber.per24h());
                cap(violations, "max_attempts_per_number.per_7d", maxAttemptsPerNumber.per7d());
            }
            if (maxAttemptsPerNumber != null
                    && maxAttemptsPerNumber.per24h() != null
                    && maxAttemptsPerNumber.per7d() != null
                    && maxAttemptsPerNumber.per7d() < maxAttemptsPerNumber.per24h()) {
                violations.add(new FieldViolation(
                        "max_attempts_per_number.per_7d",
                        "must be at least per_24h (" + maxAttemptsPerNumber.per24h() + ")"));
            }
            return violations;
        }

        private static void cap(List<FieldViolation> violations, String field, @Nullable Integer count) {
            if (count != null && (count < 1 || count > 1000)) {
                violations.add(new FieldViolation(field, "must be between 1 and 1000"));
            }
        }

        /** Validated: the form's values are well-formed. */
        CompliancePolicy toPolicy() {
            var window = callingWindow == null ? null : callingWindow.toWindow();
            var caps = maxAttemptsPerNumber == null
                            || (maxAttemptsPerNumber.per24h() == null && maxAttemptsPerNumber.per7d() == null)
                    ? null
                    : new AttemptCaps(maxAttemptsPerNumber.per24h(), maxAttemptsPerNumber.per7d());
            return new CompliancePolicy(window, caps, Boolean.TRUE.equals(dncEnforced));
        }
    }

    /** A calling window as the API shows it. */
    record CallingWindowResource(String start, String end, List<String> days) {}

    /** Attempt caps as the API shows them; a null count is no cap over that period. */
    record AttemptCapsResource(
            @JsonProperty("per_24h") @Nullable Integer per24h,
            @JsonProperty("per_7d") @Nullable Integer per7d) {}

    /**
     * The organization's compliance policy.
     *
     * @param callingWindow hours a callee may be called in the callee's local time; null: off
     * @param maxAttemptsPerNumber stored, not enforced yet
     * @param dncEnforced stored, not enforced yet
     */
    record PolicyResource(
            @Nullable CallingWindowResource callingWindow,
            @Nullable AttemptCapsResource maxAttemptsPerNumber,
            boolean dncEnforced) {

        static PolicyResource of(CompliancePolicy policy) {
            var window = policy.callingWindow();
            var caps = policy.maxAttemptsPerNumber();
            return new PolicyResource(
                    window == null
                            ? null
                            : new CallingWindowResource(
                                    window.start().toString(), window.end().toString(), window.dayNames()),
                    caps == null ? null : new AttemptCapsResource(caps.per24h(), caps.per7d()),
                    policy.dncEnforced());
        }
    }

    /** One change of the policy; {@code api_key_prefix} is null when Dialplane set it (the sandbox seed). */
    record PolicyChangeResource(
            UUID id, Instant changedAt, @Nullable String apiKeyPrefix, PolicyResource before, PolicyResource after) {

        static PolicyChangeResource of(PolicyChange change) {
            return new PolicyChangeResource(
                    change.id(),
                    change.createdAt(),
                    change.apiKeyPrefix(),
                    PolicyResource.of(change.before()),
                    PolicyResource.of(change.after()));
        }
    }
}
