package dev.dialplane.common.web;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns Java property names and Jackson paths into the snake_case names clients send, and type
 * mismatches into what the client should have sent.
 */
final class JsonNames {

    private JsonNames() {}

    static String snakeCase(String javaPath) {
        var out = new StringBuilder(javaPath.length() + 8);
        for (char c : javaPath.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The JSON path of a Bean Validation violation: property names become snake_case, map keys
     * (header names, context keys) stay exactly as the client sent them.
     */
    static String of(jakarta.validation.Path path) {
        var out = new StringBuilder();
        for (var node : path) {
            if (node.getName() == null) {
                continue;
            }
            if (out.isEmpty()) {
                out.append(snakeCase(node.getName()));
            } else {
                out.append('.').append(node.getName());
            }
        }
        return out.toString();
    }

    static String path(List<JacksonException.Reference> references) {
        var out = new StringBuilder();
        for (var reference : references) {
            if (reference.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** What a field that could not be read should hold: an enum's allowed values, or its JSON type. */
    static String expectation(MismatchedInputException mismatch) {
        var target = mismatch.getTargetType();
        if (mismatch instanceof InvalidFormatException format && target != null && target.isEnum()) {
            var allowed = Arrays.stream(target.getEnumConstants())
                    .map(Object::toString)
                    .toList();
            return "'" + format.getValue() + "' is not one of " + String.join(", ", allowed);
        }
        return target == null ? "has the wrong type" : "must be " + describe(target);
    }

    static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == BigDecimal.class || type == Double.class || type == double.class) {
            return "a number";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        return "a valid " + type.getSimpleName();
    }
}
