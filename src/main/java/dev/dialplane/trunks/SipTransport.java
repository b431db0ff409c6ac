package dev.dialplane.trunks;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** SIP transport towards the carrier; {@code auto} lets LiveKit choose. */
public enum SipTransport {
    AUTO,
    UDP,
    TCP,
    TLS;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SipTransport fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
