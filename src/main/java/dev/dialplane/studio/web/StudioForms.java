package dev.dialplane.studio.web;

import dev.dialplane.common.ApiException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What Studio's forms share: the API's refusal as lines to show, and form values as the API's JSON values. */
final class StudioForms {

    private StudioForms() {}

    /** The API's own words: each bad field as "field: message", else the message. */
    static List<String> messages(ApiException e) {
        var lines = new ArrayList<String>();
        if (e.violations().isEmpty()) {
            lines.add(e.getMessage());
        }
        e.violations().forEach(v -> lines.add(v.field() + ": " + v.message()));
        return lines;
    }

    /** A form's digits as the JSON number the route reads; anything else as typed, for the route to refuse. */
    static @Nullable Object number(@Nullable String value) {
        var text = blankToNull(value);
        return text != null && text.matches("-?[0-9]{1,9}") ? Integer.valueOf(text) : text;
    }

    /** A form's decimal as the JSON number the route reads; anything else as typed, for the route to refuse. */
    static @Nullable Object decimal(@Nullable String value) {
        var text = blankToNull(value);
        return text != null && text.matches("-?[0-9]{1,15}(\\.[0-9]{1,10})?") ? new java.math.BigDecimal(text) : text;
    }

    static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
