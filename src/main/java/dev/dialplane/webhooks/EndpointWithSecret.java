package dev.dialplane.webhooks;

/**
 * An endpoint and its new signing secret ({@code whsec_…}), which exists only in this object and
 * the one response that shows it: at creation and after a rotation.
 */
public record EndpointWithSecret(WebhookEndpoint endpoint, String secret) {

    @Override
    public String toString() {
        return "EndpointWithSecret[endpoint=" + endpoint + ", secret=<redacted>]";
    }
}
