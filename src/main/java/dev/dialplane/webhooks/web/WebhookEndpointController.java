package dev.dialplane.webhooks.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.JsonMergePatch;
import dev.dialplane.common.web.MultiLine;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.common.web.WebhookUrl;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.webhooks.EndpointDraft;
import dev.dialplane.webhooks.EndpointWithSecret;
import dev.dialplane.webhooks.WebhookEndpoint;
import dev.dialplane.webhooks.WebhookEndpointRequests;
import dev.dialplane.webhooks.WebhookEndpointService;
import dev.dialplane.webhooks.WebhookEventType;
import dev.dialplane.webhooks.WebhookFormat;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/webhook-endpoints")
class WebhookEndpointController implements WebhookEndpointRequests {

    private final WebhookEndpointService endpoints;
    private final JsonMergePatch patcher;
    private final RequestValidator validator;
    private final JsonMapper json;

    WebhookEndpointController(
            WebhookEndpointService endpoints, JsonMergePatch patcher, RequestValidator validator, JsonMapper json) {
        this.endpoints = endpoints;
        this.patcher = patcher;
        this.validator = validator;
        this.json = json;
    }

    @Override
    public EndpointDraft draft(Map<String, Object> body) {
        EndpointRequest request;
        try {
            request = json.convertValue(body, EndpointRequest.class);
        } catch (JacksonException e) {
            var field = e.getPath().isEmpty()
                    ? "body"
                    : String.valueOf(e.getPath().getLast().getPropertyName());
            throw ApiException.invalid(field, "is not a valid value");
        }
        RequestValidator.reject(validator.violations(request));
        return request.toDraft();
    }

    /** The signing secret is in this response only; afterwards only a rotation shows a (new) one. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    EndpointResponse create(Tenant tenant, @Valid @RequestBody EndpointRequest request) {
        return EndpointResponse.of(endpoints.create(tenant, request.toDraft()));
    }

    @GetMapping
    Page<EndpointResponse> list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return endpoints.list(tenant, PageRequest.of(limit, cursor)).map(EndpointResponse::of);
    }

    @GetMapping("/{id}")
    EndpointResponse get(Tenant tenant, @PathVariable UUID id) {
        return EndpointResponse.of(endpoints.get(tenant, id));
    }

    @PatchMapping("/{id}")
    EndpointResponse update(Tenant tenant, @PathVariable UUID id, @RequestBody JsonNode patch) {
        var current = EndpointRequest.of(endpoints.get(tenant, id));
        var merged = patcher.apply(current, patch, EndpointRequest.class);
        return EndpointResponse.of(endpoints.update(tenant, id, merged.toDraft()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Tenant tenant, @PathVariable UUID id) {
        endpoints.delete(tenant, id);
    }

    /** A new secret, shown once; the replaced one keeps signing for the overlap (default 24 h). */
    @PostMapping("/{id}/rotate-secret")
    EndpointResponse rotateSecret(
            Tenant tenant,
            @PathVariable UUID id,
            @Valid @RequestBody(required = false) @Nullable RotateSecretRequest request) {
        var overlap = request == null || request.overlapSeconds() == null
                ? WebhookEndpointService.DEFAULT_ROTATION_OVERLAP
                : Duration.ofSeconds(request.overlapSeconds());
        return EndpointResponse.of(endpoints.rotateSecret(tenant, id, overlap));
    }

    /**
     * @param format {@code standard} (Standard Webhooks, the default) or {@code talkifai} (TalkifAI's
     *     envelope and signature); {@code event_types} then uses that format's event names
     */
    record EndpointRequest(
            @NotBlank @Size(max = 2048) @SingleLine(readable = false) @WebhookUrl
            String url,

            @Nullable WebhookFormat format,
            @Nullable @EventTypeList List<WebhookEventType> eventTypes,
            @Nullable Boolean enabled,
            @Nullable @Size(max = 500) @MultiLine String description) {

        static EndpointRequest of(WebhookEndpoint endpoint) {
            return new EndpointRequest(
                    endpoint.url(),
                    endpoint.format(),
                    endpoint.eventTypes(),
                    endpoint.enabled(),
                    endpoint.description());
        }

        EndpointDraft toDraft() {
            var text = description == null || description.isBlank() ? null : description.strip();
            return new EndpointDraft(
                    url,
                    format == null ? WebhookFormat.STANDARD : format,
                    eventTypes,
                    !Boolean.FALSE.equals(enabled),
                    text);
        }
    }

    record RotateSecretRequest(
            @Nullable @Min(value = 0, message = "must be between 0 and 604800 (7 days)")
            @Max(value = 604_800, message = "must be between 0 and 604800 (7 days)")
            Long overlapSeconds) {}

    /**
     * @param eventTypes null: every event type
     * @param previousSecretExpiresAt until when messages also carry a signature made with the
     *     secret the last rotation replaced
     * @param secret only in the responses that create it (creation, rotation)
     */
    record EndpointResponse(
            UUID id,
            String url,
            WebhookFormat format,
            @Nullable List<WebhookEventType> eventTypes,
            boolean enabled,
            @Nullable String description,
            @Nullable Instant previousSecretExpiresAt,
            Instant createdAt,
            Instant updatedAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret) {

        static EndpointResponse of(WebhookEndpoint endpoint) {
            return of(endpoint, null);
        }

        static EndpointResponse of(EndpointWithSecret created) {
            return of(created.endpoint(), created.secret());
        }

        private static EndpointResponse of(WebhookEndpoint endpoint, @Nullable String secret) {
            return new EndpointResponse(
                    endpoint.id(),
                    endpoint.url(),
                    endpoint.format(),
                    endpoint.eventTypes(),
                    endpoint.enabled(),
                    endpoint.description(),
                    endpoint.previousSecretExpiresAt(),
                    endpoint.createdAt(),
                    endpoint.updatedAt(),
                    secret);
        }

        @Override
        public String toString() {
            return "EndpointResponse[id=" + id + ", url=" + url + ", secret=" + (secret == null ? "null" : "<redacted>")
                    + "]";
        }
    }
}
