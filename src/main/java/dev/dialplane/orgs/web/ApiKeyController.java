package dev.dialplane.orgs.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.orgs.ApiKey;
import dev.dialplane.orgs.ApiKeyService;
import dev.dialplane.orgs.Tenant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api-keys")
class ApiKeyController {

    private final ApiKeyService apiKeys;

    ApiKeyController(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** The key's value is in this response only; Dialplane keeps a hash of it. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ApiKeyResponse create(Tenant tenant, @Valid @RequestBody CreateApiKeyRequest request) {
        var issued = apiKeys.issue(tenant.organizationId(), request.name().strip());
        return ApiKeyResponse.of(issued.apiKey(), issued.secret());
    }

    @GetMapping
    Page<ApiKeyResponse> list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return apiKeys.list(tenant, PageRequest.of(limit, cursor)).map(key -> ApiKeyResponse.of(key, null));
    }

    @GetMapping("/{id}")
    ApiKeyResponse get(Tenant tenant, @PathVariable UUID id) {
        return ApiKeyResponse.of(apiKeys.get(tenant, id), null);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(Tenant tenant, @PathVariable UUID id) {
        apiKeys.revoke(tenant, id);
    }

    record CreateApiKeyRequest(
            @NotBlank @Size(max = 200) @SingleLine String name) {}

    record ApiKeyResponse(
            UUID id,
            String name,
            String prefix,
            Instant createdAt,
            @Nullable Instant lastUsedAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String key) {
        static ApiKeyResponse of(ApiKey key, @Nullable String secret) {
            return new ApiKeyResponse(key.id(), key.name(), key.prefix(), key.createdAt(), key.lastUsedAt(), secret);
        }
    }
}
