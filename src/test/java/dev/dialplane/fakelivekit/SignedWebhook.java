package dev.dialplane.fakelivekit;

/**
 * A webhook request as LiveKit would send it (contract §4), for tests that hand it to the application without a
 * network hop: POST it with {@code Content-Type: application/webhook+json} and {@code Authorization: authorization}.
 */
public record SignedWebhook(String body, String authorization) {

    public static final String CONTENT_TYPE = "application/webhook+json";
}
