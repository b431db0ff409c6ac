package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies an RFC 7396 JSON merge patch to a resource's current request form, then binds and
 * validates the result exactly as a create request is validated. PATCH therefore cannot reach a
 * state that POST would refuse, and absent fields keep their values while {@code null} clears them.
 */
@Component
public class JsonMergePatch {

    private final JsonMapper mapper;
    private final RequestValidator validator;

    JsonMergePatch(JsonMapper mapper, RequestValidator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    public <T> T apply(T current, JsonNode patch, Class<T> type) {
        if (!patch.isObject()) {
            throw ApiException.badRequest(
                    "MALFORMED_REQUEST", "A PATCH body must be a JSON object of the fields to change.");
        }
        ObjectNode merged = mapper.valueToTree(current);
        merge(merged, (ObjectNode) patch);
        return bind(merged, type);
    }

    /**
     * A create request's body given as fields by their snake_case names (another door into a
     * route, e.g. a Studio form), bound and validated as the route binds and validates its JSON.
     */
    public <T> T read(java.util.Map<String, ?> body, Class<T> type) {
        ObjectNode tree = mapper.valueToTree(body);
        return bind(tree, type);
    }

    private <T> T bind(ObjectNode merged, Class<T> type) {
        // the same rule as a create: every type error and every other violation in one 422
        var typeErrors = BodyTypes.check(merged, type, false);
        T result;
        try {
            result = mapper.treeToValue(merged, type);
        } catch (MismatchedInputException e) {
            throw ApiException.invalid(JsonNames.path(e.getPath()), JsonNames.expectation(e));
        }
        RequestValidator.reject(JsonBodyAdvice.merge(typeErrors, validator.violations(result)));
        return result;
    }

    private static void merge(ObjectNode target, ObjectNode patch) {
        for (var entry : patch.properties()) {
            var value = entry.getValue();
            if (value.isNull()) {
                target.remove(entry.getKey());
            } else if (value.isObject() && target.get(entry.getKey()) instanceof ObjectNode existing) {
                merge(existing, (ObjectNode) value);
            } else {
                target.set(entry.getKey(), value);
            }
        }
    }
}
