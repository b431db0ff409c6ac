package dev.dialplane.compliance.web;

import dev.dialplane.common.web.JsonMergePatch;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.compliance.CompliancePolicy;
import dev.dialplane.compliance.ComplianceRequests;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** {@link ComplianceRequests} by the routes' own request records and rules. */
@Component
class ComplianceForms implements ComplianceRequests {

    private final JsonMergePatch patcher;
    private final RequestValidator validator;
    private final JsonMapper json;

    ComplianceForms(JsonMergePatch patcher, RequestValidator validator, JsonMapper json) {
        this.patcher = patcher;
        this.validator = validator;
        this.json = json;
    }

    @Override
    public CompliancePolicy policy(CompliancePolicy current, Map<String, Object> body) {
        var merged = patcher.apply(
                CompliancePolicyController.PolicyRequest.of(current),
                json.valueToTree(body),
                CompliancePolicyController.PolicyRequest.class);
        return merged.toPolicy();
    }

    @Override
    public DncAddition addition(List<@Nullable String> numbers, @Nullable String reason) {
        var request = new DoNotCallController.AddRequest(numbers, blankToNull(reason));
        RequestValidator.reject(validator.violations(request));
        return new DncAddition(
                request.numbers().stream().map(Objects::requireNonNull).toList(), request.reason());
    }

    @Override
    public @Nullable String importReason(@Nullable String reason) {
        var options = new DoNotCallController.ImportOptions(blankToNull(reason));
        RequestValidator.reject(validator.violations(options));
        return options.reason();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
