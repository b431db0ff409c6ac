package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.FieldViolation;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.AbstractJacksonHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdvice;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads every JSON request body before Spring binds it: strictly (duplicate keys and the
 * {@link JsonLimits} refused with a 400 that says which), then checks its types by the route's
 * rule ({@link BodyTypes}). When a field has the wrong type, the body is still bound without it
 * and validated, so the one 422 lists every bad field, type errors and range errors alike.
 */
@ControllerAdvice
class JsonBodyAdvice implements RequestBodyAdvice {

    /** The body as the client sent it, for Pydantic's {@code input} of a missing field. */
    static final String BODY_ATTRIBUTE = JsonBodyAdvice.class.getName() + ".body";

    private static final String TYPE_ERRORS_ATTRIBUTE = JsonBodyAdvice.class.getName() + ".typeErrors";
    private static final Pattern DUPLICATE =
            Pattern.compile("Duplicate (?:Object property|field) \"(.*?)\"", Pattern.DOTALL);

    static final JsonMapper READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(JsonLimits.MAX_NESTING_DEPTH)
                            .maxNumberLength(JsonLimits.MAX_NUMBER_LENGTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final RequestValidator validator;

    JsonBodyAdvice(RequestValidator validator) {
        this.validator = validator;
    }

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return AbstractJacksonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType)
            throws java.io.IOException {
        var tree = read(input.getBody());
        if (tree == null) {
            return message(input.getHeaders(), new byte[0]);
        }
        if (targetType instanceof Class<?> type && type.isRecord()) {
            if (!(tree instanceof ObjectNode object)) {
                throw ApiException.badRequest("MALFORMED_REQUEST", "The request body must be a JSON object.");
            }
            boolean lax = parameter.getContainingClass().isAnnotationPresent(LaxTypes.class);
            var attributes = RequestContextHolder.getRequestAttributes();
            if (lax && attributes != null) {
                attributes.setAttribute(BODY_ATTRIBUTE, object.deepCopy(), RequestAttributes.SCOPE_REQUEST);
            }
            var typeErrors = BodyTypes.check(object, type, lax);
            if (!typeErrors.isEmpty() && attributes != null) {
                attributes.setAttribute(TYPE_ERRORS_ATTRIBUTE, typeErrors, RequestAttributes.SCOPE_REQUEST);
            }
        }
        return message(input.getHeaders(), READER.writeValueAsBytes(tree));
    }

    @Override
    public Object afterBodyRead(
            Object body,
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        var attributes = RequestContextHolder.getRequestAttributes();
        if (attributes == null
                || !(attributes.getAttribute(TYPE_ERRORS_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
                        instanceof List<?> found)) {
            return body;
        }
        @SuppressWarnings("unchecked")
        var typeErrors = (List<FieldViolation>) found;
        throw ApiException.invalid(merge(typeErrors, validator.violations(body)));
    }

    @Override
    public @Nullable Object handleEmptyBody(
            @Nullable Object body,
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return body;
    }

    /** Type errors first-class; a field's other complaints (e.g. "is required" after it was dropped) are noise. */
    static List<FieldViolation> merge(List<FieldViolation> typeErrors, List<FieldViolation> others) {
        var all = new ArrayList<>(typeErrors);
        for (var other : others) {
            boolean covered = typeErrors.stream()
                    .anyMatch(t -> other.field().equals(t.field())
                            || other.field().startsWith(t.field() + ".")
                            || other.field().startsWith(t.field() + "[")
                            || t.field().startsWith(other.field() + ".")
                            || t.field().startsWith(other.field() + "["));
            if (!covered) {
                all.add(other);
            }
        }
        all.sort(Comparator.comparing(FieldViolation::field));
        return all;
    }

    /** The body as a tree, or {@code null} when there is none. */
    static @Nullable JsonNode read(InputStream body) {
        try {
            var tree = READER.readTree(body);
            return tree == null || tree.isMissingNode() ? null : tree;
        } catch (JacksonException e) {
            throw refusal(e);
        }
    }

    static ApiException refusal(JacksonException e) {
        var tooLarge = BodySizeLimitFilter.tooLarge(e);
        if (tooLarge != null) {
            return tooLarge;
        }
        if (e instanceof StreamConstraintsException) {
            var message = String.valueOf(e.getOriginalMessage());
            if (message.contains("nesting depth")) {
                return ApiException.badRequest(
                        "JSON_TOO_DEEP",
                        "The request body nests objects and arrays deeper than " + JsonLimits.MAX_NESTING_DEPTH
                                + " levels, the limit.");
            }
            if (message.toLowerCase(java.util.Locale.ROOT).contains("number")) {
                return ApiException.badRequest(
                        "JSON_NUMBER_TOO_LONG",
                        "The request body has a number longer than " + JsonLimits.MAX_NUMBER_LENGTH
                                + " characters, the limit.");
            }
            return ApiException.badRequest("JSON_LIMIT_EXCEEDED", "The request body exceeds a JSON limit: " + message);
        }
        var duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.find()) {
            return ApiException.badRequest(
                    "DUPLICATE_KEY",
                    "The request body has the key \"" + duplicate.group(1)
                            + "\" twice in one object; send each key once.");
        }
        if (e instanceof StreamReadException read && read.getLocation() != null) {
            var location = read.getLocation();
            return ApiException.badRequest(
                    "MALFORMED_REQUEST",
                    "The request body is not valid JSON (line " + location.getLineNr() + ", column "
                            + location.getColumnNr() + ").");
        }
        return ApiException.badRequest("MALFORMED_REQUEST", "The request body is not valid JSON.");
    }

    private static HttpInputMessage message(HttpHeaders headers, byte[] bytes) {
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }
}
