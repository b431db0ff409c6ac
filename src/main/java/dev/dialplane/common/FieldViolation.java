package dev.dialplane.common;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One invalid input field: its JSON name (or path) and what is wrong with it. The ignored parts
 * describe the same error as Pydantic v2 would (its {@code loc}, error {@code type}, the rejected
 * {@code input} and {@code ctx}), for the MrAssistant dialect's FastAPI-shaped 422.
 */
public record FieldViolation(
        String field,
        String message,
        @JsonIgnore List<Object> loc,
        @JsonIgnore String type,
        @JsonIgnore @Nullable Object input,
        @JsonIgnore Map<String, Object> ctx) {

    public FieldViolation {
        loc = List.copyOf(loc);
        ctx = Map.copyOf(ctx);
    }

    public FieldViolation(String field, String message) {
        this(field, message, locOf(field), "value_error", null, Map.of("error", message));
    }

    /** {@code a.b[2]} → {@code ["a", "b", 2]}. */
    public static List<Object> locOf(String field) {
        var loc = new ArrayList<Object>();
        for (var part : field.split("\\.")) {
            var bracket = part.indexOf('[');
            if (bracket < 0 || !part.endsWith("]")) {
                loc.add(part);
                continue;
            }
            loc.add(part.substring(0, bracket));
            for (var index : part.substring(bracket + 1, part.length() - 1).split("\\]\\[")) {
                try {
                    loc.add(Integer.parseInt(index));
                } catch (NumberFormatException e) {
                    loc.add(index);
                }
            }
        }
        return loc;
    }
}
