package dev.dialplane.webhooks;

import java.util.Map;

/**
 * {@code POST /webhook-endpoints}'s body, read and validated exactly as that route does, for
 * another door (Studio's webhooks page): one set of rules, one set of messages. Implemented by the
 * route itself (webhooks.web).
 */
public interface WebhookEndpointRequests {

    /**
     * The endpoint the body describes, ready for {@link WebhookEndpointService#create}.
     *
     * @param body the JSON fields by their snake_case names, as the route takes them
     * @throws dev.dialplane.common.ApiException the route's 422 listing every bad field
     */
    EndpointDraft draft(Map<String, Object> body);
}
