package dev.dialplane.common;

import org.jspecify.annotations.Nullable;

/** Validated paging parameters of a list request. */
public record PageRequest(int limit, @Nullable Cursor cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public static PageRequest of(@Nullable Integer limit, @Nullable String cursor) {
        int effective = limit == null ? DEFAULT_LIMIT : limit;
        if (effective < 1 || effective > MAX_LIMIT) {
            throw ApiException.badRequest(
                    "INVALID_LIMIT", "limit must be between 1 and " + MAX_LIMIT + " (got " + effective + ")");
        }
        return new PageRequest(effective, Cursor.decode(cursor));
    }
}
