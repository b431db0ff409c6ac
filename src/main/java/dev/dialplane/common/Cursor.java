package dev.dialplane.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Keyset position in a list ordered by {@code created_at DESC, id DESC}. Keyset paging stays
 * correct while rows are inserted, unlike offsets.
 */
public record Cursor(Instant createdAt, UUID id) {

    public String encode() {
        var raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a client-supplied cursor; anything malformed is the client's error (400). */
    public static @Nullable Cursor decode(@Nullable String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        try {
            var raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            var parts = raw.split("\\.", 3);
            var createdAt = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            if (!Timestamps.inRange(createdAt) || parts[2].length() != 36) {
                throw new IllegalArgumentException("not a cursor Dialplane wrote");
            }
            return new Cursor(createdAt, UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw ApiException.badRequest(
                    "INVALID_CURSOR",
                    "cursor is not valid: pass back the next_cursor value of a previous page unchanged");
        }
    }
}
