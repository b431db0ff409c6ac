package dev.dialplane.campaigns;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** A campaign contact's row read straight from the database: what no route shows, such as when it is tried next. */
final class ContactRows {

    private ContactRows() {}

    /** The contact's status; {@code created} is the campaign as {@code POST /campaigns} answered it. */
    static String status(JdbcClient jdbc, JsonNode created, String number) {
        return jdbc.sql("select status from campaign_contacts where campaign_id = :c and to_number = :n")
                .param("c", UUID.fromString(created.get("campaign_id").asString()))
                .param("n", number)
                .query(String.class)
                .single();
    }

    static Instant nextAttemptAt(JdbcClient jdbc, JsonNode created, String number) {
        return jdbc.sql("select next_attempt_at from campaign_contacts where campaign_id = :c and to_number = :n")
                .param("c", UUID.fromString(created.get("campaign_id").asString()))
                .param("n", number)
                .query(OffsetDateTime.class)
                .single()
                .toInstant();
    }
}
