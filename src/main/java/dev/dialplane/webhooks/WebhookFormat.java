package dev.dialplane.webhooks;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * How an endpoint's messages are written, signed and retried: Standard Webhooks (the default), or
 * TalkifAI's own webhooks ({@code {"id", "type", "created", "data"}} signed by
 * {@code X-TalkifAI-Signature}), for clients that already receive TalkifAI's.
 */
public enum WebhookFormat {
    STANDARD("standard"),
    TALKIFAI("talkifai");

    private final String wireName;

    WebhookFormat(String wireName) {
        this.wireName = wireName;
    }

    static WebhookFormat fromDatabase(String name) {
        return Arrays.stream(values())
                .filter(format -> format.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown stored webhook format " + name));
    }

    @JsonValue
    @Override
    public String toString() {
        return wireName;
    }
}
