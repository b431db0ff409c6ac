package dev.dialplane.webhooks;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** {@code pending} until an attempt succeeds ({@code delivered}) or the retry schedule runs out ({@code failed}). */
public enum DeliveryStatus {
    PENDING,
    DELIVERED,
    FAILED;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeliveryStatus fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
