package dev.dialplane.common;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Conversions shared by the repositories. Timestamps cross JDBC as {@link OffsetDateTime} in UTC,
 * the one temporal type both the PostgreSQL and the H2 drivers accept and return.
 */
public final class Jdbc {

    private Jdbc() {}

    public static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        var value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A NOT NULL timestamp column. */
    public static Instant requiredInstant(ResultSet rs, String column) throws SQLException {
        return required(instant(rs, column), column);
    }

    /** A NOT NULL id column. */
    public static UUID requiredUuid(ResultSet rs, String column) throws SQLException {
        return required(uuid(rs, column), column);
    }

    private static <T> T required(@Nullable T value, String column) {
        if (value == null) {
            throw new IllegalStateException("column " + column + " is null although the schema says NOT NULL");
        }
        return value;
    }

    public static @Nullable UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    public static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
