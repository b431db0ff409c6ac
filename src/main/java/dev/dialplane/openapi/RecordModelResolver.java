package dev.dialplane.openapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * swagger-core's model resolver with the API's snake_case names, taught what a record says about
 * its JSON: a component typed {@code @Nullable} (JSpecify) may be {@code null}, unless it is left
 * out when null ({@code @JsonInclude(NON_NULL)}), which makes it optional and never null; every
 * other component is always there. The last set is kept in {@link #ALWAYS_PRESENT} for {@link OpenApiDocument}, which
 * makes those fields required in response models only (a request's required fields are its
 * {@code @NotNull} ones).
 */
final class RecordModelResolver implements ModelConverter {

    static final String ALWAYS_PRESENT = "x-dialplane-always-present";

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final ModelResolver delegate =
            new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));

    @Override
    public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        var schema = delegate.resolve(type, context, chain);
        var raw = Json.mapper().constructType(type.getType()).getRawClass();
        if (schema == null || raw == null || !raw.isRecord()) {
            return schema;
        }
        var model =
                schema.get$ref() == null ? schema : context.getDefinedModels().get(simpleName(schema.get$ref()));
        if (model == null || model.getProperties() == null) {
            return schema;
        }
        var omittedWhenNull = omittedWhenNull(raw.getAnnotation(JsonInclude.class));
        var alwaysPresent = new ArrayList<String>();
        for (RecordComponent component : raw.getRecordComponents()) {
            var nullable = component.getAnnotatedType().isAnnotationPresent(Nullable.class);
            if (field(raw, component).isAnnotationPresent(JsonUnwrapped.class)
                    && component.getType().isRecord()) {
                // its fields are this model's; resolving the type gives them their own markings
                context.resolve(new AnnotatedType(component.getType()));
                var inner = context.getDefinedModels().get(component.getType().getSimpleName());
                if (inner != null
                        && inner.getExtensions() != null
                        && inner.getExtensions().get(ALWAYS_PRESENT) instanceof List<?> names) {
                    names.forEach(n -> alwaysPresent.add((String) n));
                }
                continue;
            }
            var name = jsonName(raw, component);
            @SuppressWarnings("unchecked")
            Schema<Object> property = (Schema<Object>) model.getProperties().get(name);
            if (property == null) {
                continue;
            }
            if (nullable
                    && (omittedWhenNull || omittedWhenNull(field(raw, component).getAnnotation(JsonInclude.class)))) {
                continue; // absent rather than null: neither nullable nor always present
            }
            alwaysPresent.add(name);
            if (nullable) {
                model.getProperties().put(name, nullable(property));
            }
        }
        model.addExtension(ALWAYS_PRESENT, List.copyOf(alwaysPresent));
        return schema;
    }

    /** OpenAPI 3.0 ignores siblings of {@code $ref}, so a nullable reference is wrapped in {@code allOf}. */
    private static Schema<?> nullable(Schema<Object> property) {
        if (property.get$ref() == null) {
            return property.nullable(true);
        }
        return new ComposedSchema()
                .addAllOfItem(new Schema<>().$ref(property.get$ref()))
                .nullable(true);
    }

    private static boolean omittedWhenNull(@Nullable JsonInclude include) {
        return include != null
                && include.value() != JsonInclude.Include.ALWAYS
                && include.value() != JsonInclude.Include.USE_DEFAULTS;
    }

    private static String jsonName(Class<?> record, RecordComponent component) {
        var property = field(record, component).getAnnotation(JsonProperty.class);
        if (property != null && !property.value().isEmpty()) {
            return property.value();
        }
        return SNAKE_CASE.translate(component.getName());
    }

    private static java.lang.reflect.Field field(Class<?> record, RecordComponent component) {
        try {
            return record.getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e); // every record component has its field
        }
    }

    private static String simpleName(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
