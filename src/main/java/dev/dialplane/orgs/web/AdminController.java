package dev.dialplane.orgs.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.web.JsonMergePatch;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.orgs.AdminRequests;
import dev.dialplane.orgs.Organization;
import dev.dialplane.orgs.OrganizationOwners;
import dev.dialplane.orgs.OrganizationService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Operator API (admin token): create organizations and top up their credits. */
@RestController
@RequestMapping("/admin/organizations")
class AdminController implements AdminRequests {

    private final OrganizationService organizations;
    private final JsonMergePatch patcher;
    private final RequestValidator validator;
    private final JsonMapper json;

    AdminController(
            OrganizationService organizations, JsonMergePatch patcher, RequestValidator validator, JsonMapper json) {
        this.organizations = organizations;
        this.patcher = patcher;
        this.validator = validator;
        this.json = json;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    OrganizationResponse create(@RequestBody CreateOrganizationRequest request) {
        var created = create(newOrganization(request));
        return OrganizationResponse.of(created.organization(), created.apiKey().secret());
    }

    private OrganizationService.CreatedOrganization create(NewOrganization request) {
        return organizations.create(
                request.name(),
                request.credits(),
                request.ratePerMinute(),
                request.lowCreditThreshold(),
                request.maxConcurrentCalls(),
                request.owner());
    }

    private NewOrganization newOrganization(CreateOrganizationRequest request) {
        RequestValidator.reject(validator.violations(request));
        var owner = request.ownerEmail() == null || request.ownerPassword() == null
                ? null
                : new OrganizationService.Owner(request.ownerEmail().strip(), request.ownerPassword());
        return new NewOrganization(
                request.name().strip(),
                request.credits() == null ? BigDecimal.ZERO : request.credits(),
                request.ratePerMinute(),
                request.lowCreditThreshold(),
                request.maxConcurrentCalls(),
                owner);
    }

    @Override
    public NewOrganization newOrganization(Map<String, Object> body) {
        return newOrganization(read(body, CreateOrganizationRequest.class));
    }

    @Override
    public BigDecimal creditAmount(Map<String, Object> body) {
        var request = read(body, AddCreditsRequest.class);
        RequestValidator.reject(validator.violations(request));
        return request.amount();
    }

    @Override
    public Settings settings(UUID organizationId, Map<String, Object> patch) {
        var current = organizations.get(organizationId);
        var merged =
                patcher.apply(OrganizationSettings.of(current), json.valueToTree(patch), OrganizationSettings.class);
        return new Settings(
                merged.name().strip(),
                merged.ratePerMinute(),
                merged.lowCreditThreshold(),
                merged.maxConcurrentCalls());
    }

    /** A form's fields as the route's body; a value of the wrong type is the route's 422 for that field. */
    private <T> T read(Map<String, Object> body, Class<T> type) {
        try {
            return json.convertValue(body, type);
        } catch (JacksonException e) {
            var field = e.getPath().isEmpty()
                    ? "body"
                    : String.valueOf(e.getPath().getLast().getPropertyName());
            throw ApiException.invalid(field, "is not a valid value");
        }
    }

    @GetMapping("/{id}")
    OrganizationResponse get(@PathVariable UUID id) {
        return OrganizationResponse.of(organizations.get(id), null);
    }

    /**
     * Merge patch of name, rate, low-credit threshold and concurrency cap ({@code null} removes the
     * cap); a new rate applies to calls placed afterwards.
     */
    @PatchMapping("/{id}")
    OrganizationResponse update(@PathVariable UUID id, @RequestBody JsonNode patch) {
        var current = organizations.get(id);
        var settings = patcher.apply(OrganizationSettings.of(current), patch, OrganizationSettings.class);
        return OrganizationResponse.of(
                organizations.updateSettings(
                        id,
                        settings.name().strip(),
                        settings.ratePerMinute(),
                        settings.lowCreditThreshold(),
                        settings.maxConcurrentCalls()),
                null);
    }

    @PostMapping("/{id}/credits")
    OrganizationResponse addCredits(@PathVariable UUID id, @Valid @RequestBody AddCreditsRequest request) {
        return OrganizationResponse.of(organizations.addCredits(id, request.amount()), null);
    }

    record CreateOrganizationRequest(
            @NotBlank @Size(max = 200) @SingleLine String name,

            @Nullable @DecimalMin("0") @DecimalMax("1000000000") @Digits(integer = 15, fraction = 4) BigDecimal credits,

            @Nullable @DecimalMin("0") @DecimalMax("1000000") @Digits(integer = 15, fraction = 4) BigDecimal ratePerMinute,

            @Nullable @DecimalMin("0") @DecimalMax("1000000000") @Digits(integer = 15, fraction = 4) BigDecimal lowCreditThreshold,

            @Nullable @Min(1) @Max(1000000) Integer maxConcurrentCalls,

            @Nullable String ownerEmail,

            @Nullable String ownerPassword)
            implements RequestValidator.Checked {

        /** The owner's email and password come together or not at all; the password as Studio's rule says. */
        @Override
        public List<FieldViolation> check() {
            var found = new ArrayList<FieldViolation>();
            if (ownerEmail != null && ownerPassword == null) {
                found.add(new FieldViolation("owner_password", "is required with owner_email"));
            } else if (ownerPassword != null && ownerEmail == null) {
                found.add(new FieldViolation("owner_email", "is required with owner_password"));
            } else if (ownerPassword != null) {
                var violation = OrganizationOwners.passwordViolation("owner_password", ownerPassword);
                if (violation != null) {
                    found.add(violation);
                }
            }
            if (ownerEmail != null) {
                var violation = OrganizationOwners.emailViolation("owner_email", ownerEmail);
                if (violation != null) {
                    found.add(violation);
                }
            }
            return found;
        }

        @Override
        public String toString() {
            return "CreateOrganizationRequest[name=" + name + ", owner_email=" + ownerEmail + ", owner_password="
                    + (ownerPassword == null ? "null" : "(hidden)") + "]";
        }
    }

    record OrganizationSettings(
            @NotBlank @Size(max = 200) @SingleLine String name,

            @NotNull @DecimalMin("0") @DecimalMax("1000000") @Digits(integer = 15, fraction = 4) BigDecimal ratePerMinute,

            @NotNull @DecimalMin("0") @DecimalMax("1000000000") @Digits(integer = 15, fraction = 4) BigDecimal lowCreditThreshold,

            @Nullable @Min(1) @Max(1000000) Integer maxConcurrentCalls) {

        static OrganizationSettings of(Organization organization) {
            return new OrganizationSettings(
                    organization.name(),
                    organization.ratePerMinute(),
                    organization.lowCreditThreshold(),
                    organization.maxConcurrentCalls());
        }
    }

    record AddCreditsRequest(
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000000000") @Digits(integer = 15, fraction = 4) BigDecimal amount) {}

    record OrganizationResponse(
            UUID id,
            String name,
            BigDecimal credits,
            BigDecimal reservedCredits,
            BigDecimal ratePerMinute,
            BigDecimal lowCreditThreshold,
            @Nullable Integer maxConcurrentCalls,
            Instant createdAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String apiKey) {
        static OrganizationResponse of(Organization organization, @Nullable String apiKey) {
            return new OrganizationResponse(
                    organization.id(),
                    organization.name(),
                    organization.credits(),
                    organization.reservedCredits(),
                    organization.ratePerMinute(),
                    organization.lowCreditThreshold(),
                    organization.maxConcurrentCalls(),
                    organization.createdAt(),
                    apiKey);
        }
    }
}
