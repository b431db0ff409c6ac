package dev.dialplane.studio.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Instants as Studio's pages show them (UTC, like the API), for templates as {@code @studioFormat}. */
@Component("studioFormat")
class StudioFormat {

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    public String dateTime(@Nullable Instant instant) {
        return instant == null ? "–" : DATE_TIME.format(instant);
    }

    public String time(@Nullable Instant instant) {
        return instant == null ? "–" : TIME.format(instant);
    }
}
