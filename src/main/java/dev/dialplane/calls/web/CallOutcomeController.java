package dev.dialplane.calls.web;

import dev.dialplane.calls.AnsweredBy;
import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.calls.CallView;
import dev.dialplane.calls.OutcomeReport;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.web.MultiLine;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.orgs.Tenant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the agent learned about a call, reported by the agent itself with the call's report token
 * (authenticated by {@link OutcomeAuthentication}) or by the organization with its API key.
 */
@RestController
class CallOutcomeController {

    static final int MAX_LANGUAGE_TAG = 35;

    private final CallOutcomes outcomes;
    private final RequestValidator validator;

    CallOutcomeController(CallOutcomes outcomes, RequestValidator validator) {
        this.outcomes = outcomes;
        this.validator = validator;
    }

    /**
     * Stores a report: each field given replaces its earlier value, fields left out keep theirs.
     * Answers with the call as {@code GET /calls/{id}} shows it.
     */
    @PostMapping("/calls/{id}/outcome")
    CallView report(HttpServletRequest http, @PathVariable UUID id, @RequestBody OutcomeRequest request) {
        // set by OutcomeAuthentication, which refuses the request before it gets here without them
        var tenant = (Tenant) java.util.Objects.requireNonNull(http.getAttribute(OutcomeAuthentication.TENANT));
        var reporter = (String) java.util.Objects.requireNonNull(http.getAttribute(OutcomeAuthentication.REPORTER));
        RequestValidator.reject(validator.violations(request));
        return outcomes.report(tenant, id, request.toReport(), reporter);
    }

    /** Every field optional, at least one given; {@code null} is the same as leaving a field out. */
    record OutcomeRequest(
            @Nullable @Pattern(
                    regexp = AnsweredBy.PATTERN,
                    message = "must be one of human, machine_ivr, machine_voicemail, machine_unavailable, uncertain")
            String answeredBy,

            @Nullable @Size(min = 1, max = 64, message = "must be 1 to 64 characters") @SingleLine
            String disposition,

            @Nullable @Size(max = 4096, message = "must be at most 4096 characters") @MultiLine
            String summary,

            @Nullable @DecimalMin(value = "-1", message = "must be between -1 and 1") @DecimalMax(value = "1", message = "must be between -1 and 1") BigDecimal sentimentScore,

            @Nullable String languageDetected)
            implements RequestValidator.Checked {

        @Override
        public List<FieldViolation> check() {
            var violations = new ArrayList<FieldViolation>();
            if (answeredBy == null
                    && disposition == null
                    && summary == null
                    && sentimentScore == null
                    && languageDetected == null) {
                violations.add(new FieldViolation(
                        "body", "must give at least one of " + String.join(", ", CallOutcomes.FIELDS)));
            }
            if (disposition != null && disposition.isBlank()) {
                violations.add(new FieldViolation("disposition", "must not be blank"));
            }
            if (languageDetected != null && languageTag(languageDetected) == null) {
                violations.add(new FieldViolation(
                        "language_detected", "must be a BCP 47 language tag such as en, en-US or pt-BR"));
            }
            return violations;
        }

        OutcomeReport toReport() {
            return new OutcomeReport(
                    answeredBy == null ? null : AnsweredBy.parse(answeredBy),
                    disposition,
                    summary,
                    sentimentScore == null ? null : sentimentScore.doubleValue(),
                    languageDetected == null ? null : languageTag(languageDetected));
        }
    }

    /** The tag in its canonical form (case as BCP 47 recommends), or null when it is not well-formed BCP 47. */
    static @Nullable String languageTag(String value) {
        if (value.isBlank()
                || value.length() > MAX_LANGUAGE_TAG
                || !value.strip().equals(value)) {
            return null;
        }
        try {
            var locale = new Locale.Builder().setLanguageTag(value).build();
            var canonical = locale.toLanguageTag();
            return canonical.equals("und") && !value.equalsIgnoreCase("und") ? null : canonical;
        } catch (IllformedLocaleException e) {
            return null;
        }
    }
}
