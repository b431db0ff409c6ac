package dev.dialplane.common;

import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL of keyset paging, newest first. Queries append {@link #AFTER_CURSOR} to their WHERE
 * clause and end with {@link #ORDER_AND_LIMIT}, then {@link #bind} the page. One extra row is
 * fetched so {@link Page#of} can tell whether another page exists.
 */
public final class Keyset {

    public static final String AFTER_CURSOR =
            "(:hasCursor = false or created_at < :cursorAt or (created_at = :cursorAt and id < :cursorId))";
    public static final String ORDER_AND_LIMIT = "order by created_at desc, id desc limit :limit";

    private Keyset() {}

    public static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, PageRequest page) {
        var cursor = page.cursor();
        return spec.param("hasCursor", cursor != null)
                .param("cursorAt", Jdbc.utc(cursor == null ? Instant.EPOCH : cursor.createdAt()))
                .param("cursorId", cursor == null ? new UUID(0, 0) : cursor.id())
                .param("limit", page.limit() + 1);
    }
}
