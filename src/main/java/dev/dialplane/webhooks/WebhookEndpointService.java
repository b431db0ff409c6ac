package dev.dialplane.webhooks;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.crypto.SecretBox.SecretUnreadable;
import dev.dialplane.orgs.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** An organization's webhook endpoints and their signing secrets. */
@Service
public class WebhookEndpointService {

    /** Every event is written once per endpoint in the transaction that produced it; this bounds that work. */
    public static final int MAX_ENDPOINTS = 20;

    public static final Duration DEFAULT_ROTATION_OVERLAP = Duration.ofHours(24);
    public static final Duration MAX_ROTATION_OVERLAP = Duration.ofDays(7);

    private static final Logger log = LoggerFactory.getLogger(WebhookEndpointService.class);

    private final WebhookEndpointRepository endpoints;
    private final EndpointSecrets secrets;
    private final Clock clock;

    WebhookEndpointService(WebhookEndpointRepository endpoints, EndpointSecrets secrets, Clock clock) {
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Creates an endpoint with a new signing secret, returned only this once. */
    @Transactional
    public EndpointWithSecret create(Tenant tenant, EndpointDraft draft) {
        if (endpoints.count(tenant.organizationId()) >= MAX_ENDPOINTS) {
            throw ApiException.conflict(
                    "TOO_MANY_WEBHOOK_ENDPOINTS",
                    "Your organization already has " + MAX_ENDPOINTS + " webhook endpoints, the most allowed; "
                            + "delete one, or subscribe an existing endpoint to more event types.");
        }
        checkEventTypes(draft);
        var now = clock.instant();
        var endpoint = new WebhookEndpoint(
                UUID.randomUUID(),
                tenant.organizationId(),
                draft.url(),
                draft.format(),
                draft.eventTypes(),
                draft.enabled(),
                draft.description(),
                null,
                now,
                now);
        var secret = Signatures.newSecret();
        endpoints.insert(endpoint, secrets.sealCurrent(endpoint.id(), secret));
        return new EndpointWithSecret(endpoint, secret);
    }

    public WebhookEndpoint get(Tenant tenant, UUID id) {
        return endpoints.find(tenant.organizationId(), id).orElseThrow(() -> notFound(id));
    }

    public Page<WebhookEndpoint> list(Tenant tenant, PageRequest page) {
        return Page.of(
                endpoints.list(tenant.organizationId(), page), page.limit(), e -> new Cursor(e.createdAt(), e.id()));
    }

    @Transactional
    public WebhookEndpoint update(Tenant tenant, UUID id, EndpointDraft draft) {
        checkEventTypes(draft);
        var current = get(tenant, id);
        var updated = new WebhookEndpoint(
                id,
                current.organizationId(),
                draft.url(),
                draft.format(),
                draft.eventTypes(),
                draft.enabled(),
                draft.description(),
                current.previousSecretExpiresAt(),
                current.createdAt(),
                clock.instant());
        endpoints.update(updated);
        return updated;
    }

    /** Deletes the endpoint with its delivery log; deliveries still pending are never sent. */
    @Transactional
    public void delete(Tenant tenant, UUID id) {
        if (!endpoints.delete(tenant.organizationId(), id)) {
            throw notFound(id);
        }
    }

    /**
     * Replaces the signing secret. For {@code overlap} afterwards every message is signed with both
     * the new and the replaced secret, so receivers can switch without missing a message; only the
     * secret being replaced is kept (a secret replaced earlier stops signing at once).
     */
    @Transactional
    public EndpointWithSecret rotateSecret(Tenant tenant, UUID id, Duration overlap) {
        var current = endpoints.findForUpdate(tenant.organizationId(), id).orElseThrow(() -> notFound(id));
        var now = clock.instant();
        var secret = Signatures.newSecret();
        String previous = null;
        var previousExpiresAt = overlap.isZero() ? null : now.plus(overlap);
        if (previousExpiresAt != null) {
            try {
                previous = secrets.sealPrevious(id, secrets.openCurrent(id, current.secretCiphertext()));
            } catch (SecretUnreadable e) {
                // a secret nobody can use for signing any more: there is nothing to overlap with
                log.warn(
                        "Webhook endpoint {}: the replaced secret cannot be decrypted ({}); rotating without overlap",
                        id,
                        e.getMessage());
                previousExpiresAt = null;
            }
        }
        endpoints.updateSecrets(id, secrets.sealCurrent(id, secret), previous, previousExpiresAt, now);
        var endpoint = current.endpoint();
        var rotated = new WebhookEndpoint(
                id,
                endpoint.organizationId(),
                endpoint.url(),
                endpoint.format(),
                endpoint.eventTypes(),
                endpoint.enabled(),
                endpoint.description(),
                previousExpiresAt,
                endpoint.createdAt(),
                now);
        return new EndpointWithSecret(rotated, secret);
    }

    /** A {@code talkifai} endpoint subscribes by TalkifAI's event names, a standard one by Dialplane's. */
    private static void checkEventTypes(EndpointDraft draft) {
        var types = draft.eventTypes();
        if (types == null) {
            return;
        }
        var foreign = types.stream()
                .filter(type -> !type.sentIn(draft.format()))
                .map(WebhookEventType::toString)
                .toList();
        if (!foreign.isEmpty()) {
            throw ApiException.invalid(
                    "event_types",
                    "an endpoint of format " + draft.format() + " has no event " + String.join(", ", foreign)
                            + "; it can subscribe to " + String.join(", ", WebhookEventType.namesIn(draft.format())));
        }
    }

    static ApiException notFound(UUID id) {
        return ApiException.notFound(
                "WEBHOOK_ENDPOINT_NOT_FOUND", "No webhook endpoint " + id + " in your organization.");
    }
}
