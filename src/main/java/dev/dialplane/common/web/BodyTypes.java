package dev.dialplane.common.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dialplane.common.FieldViolation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a request body's JSON types against the record it binds to, by rule rather than by
 * Jackson's accidental coercions, and reports every wrong field instead of stopping at the first.
 * <ul>
 *   <li>strict (Dialplane's own API): a string is a string, a number a number, a boolean a
 *       boolean, an enum one of its names; nothing is converted.
 *   <li>lax (the MrAssistant dialect): exactly what Pydantic v2's lax mode converts from JSON:
 *       numeric strings, whole floats and booleans to integers; 0/1, 0.0/1.0 and Pydantic's
 *       boolean words to booleans. Nothing else (a number is not a string, an ordinal is not an
 *       enum value).
 * </ul>
 * Converted values are written back into the tree, and fields of the wrong type are removed from
 * it, so binding the result cannot fail on a type and Bean Validation can still report the rest.
 */
final class BodyTypes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern LAX_INT = Pattern.compile("[+-]?[0-9]+(\\.0*)?");
    private static final Set<String> TRUE_WORDS = Set.of("1", "on", "t", "true", "y", "yes");
    private static final Set<String> FALSE_WORDS = Set.of("0", "off", "f", "false", "n", "no");
    /** Pydantic refuses integer strings longer than this ({@code int_parsing_size}). */
    private static final int MAX_INT_STRING = 4300;

    private final boolean lax;
    private final List<FieldViolation> violations = new ArrayList<>();

    private BodyTypes(boolean lax) {
        this.lax = lax;
    }

    /** The violations found; {@code body} is normalized in place. */
    static List<FieldViolation> check(ObjectNode body, Class<?> recordType, boolean lax) {
        var checker = new BodyTypes(lax);
        checker.checkRecord(body, recordType, List.of());
        return checker.violations;
    }

    /** The JSON name of a record component, as Jackson binds it (snake_case unless renamed). */
    static String jsonName(java.lang.reflect.RecordComponent component) {
        var renamed = component.getAnnotation(JsonProperty.class);
        if (renamed != null && !renamed.value().isEmpty()) {
            return renamed.value();
        }
        return JsonNames.snakeCase(component.getName());
    }

    private void checkRecord(ObjectNode node, Class<?> type, List<Object> loc) {
        for (var component : type.getRecordComponents()) {
            var name = jsonName(component);
            var value = node.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            var checked = checkValue(value, component.getGenericType(), component, append(loc, name));
            if (checked == null) {
                node.remove(name);
            } else {
                node.set(name, checked);
            }
        }
    }

    /** The value to bind (maybe converted), or {@code null} when it has the wrong type. */
    private @Nullable JsonNode checkValue(
            JsonNode value, Type type, @Nullable AnnotatedElement element, List<Object> loc) {
        var raw = raw(type);
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return finite(value)
                    ? value
                    : bad(
                            loc,
                            value,
                            "finite_number",
                            "must not hold a number beyond the range of a double (such as 1e400)",
                            Map.of());
        }
        if (value.isNull()) {
            return value;
        }
        if (raw == String.class) {
            return value.isString() ? value : bad(loc, value, "string_type", "must be a string", Map.of());
        }
        if (raw == Integer.class || raw == int.class) {
            return integer(value, loc, element, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (raw == Long.class || raw == long.class) {
            return integer(value, loc, element, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return bool(value, loc);
        }
        if (raw == BigDecimal.class || raw == Double.class || raw == double.class) {
            if (value.isNumber()) {
                return value;
            }
            return bad(loc, value, "decimal_type", "must be a number", Map.of());
        }
        if (raw == UUID.class) {
            return uuid(value, loc);
        }
        if (raw.isEnum()) {
            return enumValue(value, raw, loc);
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!(value instanceof ObjectNode object)) {
                return bad(loc, value, "dict_type", "must be a JSON object", Map.of());
            }
            var valueType = typeArgument(type, 1);
            for (var entry : new ArrayList<>(object.properties())) {
                var checked = checkValue(entry.getValue(), valueType, null, append(loc, entry.getKey()));
                if (checked == null) {
                    object.remove(entry.getKey());
                } else {
                    object.set(entry.getKey(), checked);
                }
            }
            return object;
        }
        if (Collection.class.isAssignableFrom(raw)) {
            if (!(value instanceof ArrayNode array)) {
                return bad(loc, value, "list_type", "must be a JSON array", Map.of());
            }
            var elementType = typeArgument(type, 0);
            var out = NODES.arrayNode();
            boolean allGood = true;
            for (int i = 0; i < array.size(); i++) {
                var checked = checkValue(array.get(i), elementType, null, append(loc, i));
                if (checked == null) {
                    allGood = false;
                } else {
                    out.add(checked);
                }
            }
            return allGood ? out : null;
        }
        if (raw.isRecord()) {
            if (!(value instanceof ObjectNode object)) {
                return bad(loc, value, "model_attributes_type", "must be a JSON object", Map.of());
            }
            checkRecord(object, raw, loc);
            return object;
        }
        // anything else (dates …) is left to the binder
        return value;
    }

    private @Nullable JsonNode integer(
            JsonNode value, List<Object> loc, @Nullable AnnotatedElement element, long min, long max) {
        BigDecimal number;
        if (value.isIntegralNumber()) {
            number = new BigDecimal(value.bigIntegerValue());
        } else if (lax && value.isFloatingPointNumber()) {
            number = value.decimalValue();
            if (!isWhole(number)) {
                return bad(loc, value, "int_from_float", "must be an integer (it has a fractional part)", Map.of());
            }
        } else if (lax && value.isBoolean()) {
            number = value.booleanValue() ? BigDecimal.ONE : BigDecimal.ZERO;
        } else if (lax && value.isString()) {
            var text = value.stringValue().strip();
            if (text.length() > MAX_INT_STRING) {
                return bad(loc, value, "int_parsing_size", "must be an integer (the string is too long)", Map.of());
            }
            if (!LAX_INT.matcher(text).matches()) {
                return bad(loc, value, "int_parsing", "must be an integer", Map.of());
            }
            number = new BigDecimal(text);
        } else {
            return bad(loc, value, "int_type", "must be an integer", Map.of());
        }
        // far beyond any range: compare magnitudes without expanding a 1e999999999
        boolean huge = number.precision() - number.scale() > 25;
        if (huge || number.compareTo(BigDecimal.valueOf(max)) > 0 || number.compareTo(BigDecimal.valueOf(min)) < 0) {
            return outOfRange(value, loc, element, number, min, max);
        }
        return value.isIntegralNumber() ? value : NODES.numberNode(number.toBigIntegerExact());
    }

    private @Nullable JsonNode outOfRange(
            JsonNode value,
            List<Object> loc,
            @Nullable AnnotatedElement element,
            BigDecimal number,
            long min,
            long max) {
        var upper = annotation(element, Max.class);
        var lower = annotation(element, Min.class);
        long low = lower == null ? min : lower.value();
        long high = upper == null ? max : upper.value();
        var message = "must be between " + low + " and " + high;
        if (number.signum() > 0) {
            return bad(loc, value, "less_than_equal", message, Map.of("le", high));
        }
        return bad(loc, value, "greater_than_equal", message, Map.of("ge", low));
    }

    /** A record component's constraint, wherever Java put it (field, accessor or type use). */
    private static <A extends java.lang.annotation.Annotation> @Nullable A annotation(
            @Nullable AnnotatedElement element, Class<A> type) {
        if (!(element instanceof java.lang.reflect.RecordComponent component)) {
            return element == null ? null : element.getAnnotation(type);
        }
        var found = component.getAnnotation(type);
        if (found == null) {
            found = component.getAnnotatedType().getAnnotation(type);
        }
        if (found == null) {
            found = component.getAccessor().getAnnotation(type);
        }
        if (found == null) {
            try {
                found = component
                        .getDeclaringRecord()
                        .getDeclaredField(component.getName())
                        .getAnnotation(type);
            } catch (NoSuchFieldException e) {
                return null;
            }
        }
        return found;
    }

    /** Free-form JSON is stored as JSON: a float that is infinite as a double has no JSON form to store. */
    private static boolean finite(JsonNode value) {
        if (value.isFloatingPointNumber()) {
            return Double.isFinite(value.decimalValue().doubleValue());
        }
        for (var child : value) {
            if (!finite(child)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhole(BigDecimal number) {
        return number.signum() == 0 || number.stripTrailingZeros().scale() <= 0;
    }

    private @Nullable JsonNode bool(JsonNode value, List<Object> loc) {
        if (value.isBoolean()) {
            return value;
        }
        if (!lax) {
            return bad(loc, value, "bool_type", "must be true or false", Map.of());
        }
        if (value.isNumber()) {
            var number = value.decimalValue();
            if (number.compareTo(BigDecimal.ZERO) == 0) {
                return NODES.booleanNode(false);
            }
            if (number.compareTo(BigDecimal.ONE) == 0) {
                return NODES.booleanNode(true);
            }
            return bad(loc, value, "bool_parsing", "must be true or false", Map.of());
        }
        if (value.isString()) {
            var word = value.stringValue().toLowerCase(Locale.ROOT);
            if (TRUE_WORDS.contains(word)) {
                return NODES.booleanNode(true);
            }
            if (FALSE_WORDS.contains(word)) {
                return NODES.booleanNode(false);
            }
            return bad(loc, value, "bool_parsing", "must be true or false", Map.of());
        }
        return bad(loc, value, "bool_type", "must be true or false", Map.of());
    }

    private @Nullable JsonNode uuid(JsonNode value, List<Object> loc) {
        if (!value.isString()) {
            return bad(loc, value, "uuid_type", "must be a UUID", Map.of());
        }
        var text = value.stringValue();
        if (CANONICAL_UUID.matcher(text).matches()) {
            return value;
        }
        if (lax) {
            // the forms Python's uuid.UUID / Rust's uuid crate also read: 32 hex digits, {…}, urn:uuid:…
            var stripped = text.toLowerCase(Locale.ROOT);
            if (stripped.startsWith("urn:uuid:")) {
                stripped = stripped.substring(9);
            } else if (stripped.startsWith("{") && stripped.endsWith("}")) {
                stripped = stripped.substring(1, stripped.length() - 1);
            }
            if (CANONICAL_UUID.matcher(stripped).matches()) {
                return NODES.stringNode(stripped);
            }
            if (stripped.matches("[0-9a-f]{32}")) {
                return NODES.stringNode(stripped.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
            }
        }
        var reason = text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '-')
                ? "invalid length"
                : "invalid character";
        return bad(loc, value, "uuid_parsing", "must be a UUID", Map.of("error", reason));
    }

    private @Nullable JsonNode enumValue(JsonNode value, Class<?> type, List<Object> loc) {
        var allowed =
                Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
        if (value.isString() && allowed.contains(value.stringValue())) {
            return value;
        }
        var expected = expected(allowed);
        var message = value.isString()
                ? "'" + value.stringValue() + "' is not one of " + String.join(", ", allowed)
                : "must be one of " + String.join(", ", allowed) + " (a string)";
        return bad(loc, value, "enum", message, Map.of("expected", expected));
    }

    /** Pydantic's way of listing choices: {@code 'a', 'b' or 'c'}. */
    static String expected(List<String> allowed) {
        var quoted = allowed.stream().map(a -> "'" + a + "'").toList();
        if (quoted.size() == 1) {
            return quoted.getFirst();
        }
        return quoted.subList(0, quoted.size() - 1).stream().collect(Collectors.joining(", ")) + " or "
                + quoted.getLast();
    }

    private @Nullable JsonNode bad(
            List<Object> loc, JsonNode input, String type, String message, Map<String, Object> ctx) {
        violations.add(new FieldViolation(field(loc), message, loc, type, input, ctx));
        return null;
    }

    static String field(List<Object> loc) {
        var out = new StringBuilder();
        for (var part : loc) {
            if (part instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(part);
            }
        }
        return out.toString();
    }

    private static List<Object> append(List<Object> loc, Object part) {
        var longer = new ArrayList<>(loc);
        longer.add(part);
        return longer;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return raw(p.getRawType());
        }
        if (type instanceof WildcardType w && w.getUpperBounds().length > 0) {
            return raw(w.getUpperBounds()[0]);
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
