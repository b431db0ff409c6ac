package dev.dialplane.common;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list endpoint. {@code next_cursor} is opaque; pass it back as {@code cursor} to get
 * the next page. It is null on the last page.
 */
public record Page<T>(
        List<T> data, boolean hasMore, @Nullable String nextCursor) {

    /**
     * Builds a page from a query that fetched {@code limit + 1} rows: the extra row only tells
     * whether another page exists.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, Cursor> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), false, null);
        }
        var data = List.copyOf(rows.subList(0, limit));
        return new Page<>(data, true, cursorOf.apply(data.getLast()).encode());
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(data.stream().map(mapper).toList(), hasMore, nextCursor);
    }
}
