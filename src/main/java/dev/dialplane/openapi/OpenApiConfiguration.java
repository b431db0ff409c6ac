package dev.dialplane.openapi;

import dev.dialplane.orgs.Tenant;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (UI at {@code /swagger-ui.html}). springdoc reads
 * models with its own Jackson 2 mapper, so it is told the snake_case naming the API really uses
 * and what records say about null ({@link RecordModelResolver}); {@link OpenApiDocument} adds what
 * handlers do not declare (errors, headers, content types, security, operation ids).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        // the authenticated organization comes from the API key, not from the request
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Tenant.class);
    }

    @Bean
    RecordModelResolver recordModelResolver() {
        return new RecordModelResolver();
    }

    @Bean
    OpenApiCustomizer openApiDocument() {
        return new OpenApiDocument();
    }

    /** The {@code Idempotency-Key} header of the call-creating routes: a servlet filter reads it, not the handler. */
    @Bean
    OpenApiCustomizer callCreationExtras() {
        return openApi -> {
            for (var path : List.of("/calls/outbound", "/telephony/outbound-call")) {
                var item =
                        openApi.getPaths() == null ? null : openApi.getPaths().get(path);
                if (item == null || item.getPost() == null) {
                    continue;
                }
                // the handler declares the header too: one parameter, described, not two (a duplicate makes the
                // document invalid)
                if (item.getPost().getParameters() != null) {
                    item.getPost()
                            .getParameters()
                            .removeIf(
                                    p -> "header".equals(p.getIn()) && "Idempotency-Key".equalsIgnoreCase(p.getName()));
                }
                item.getPost()
                        .addParametersItem(
                                new HeaderParameter()
                                        .name("Idempotency-Key")
                                        .required(false)
                                        .schema(new StringSchema()
                                                .minLength(1)
                                                .maxLength(255)
                                                .pattern("^[\\x21-\\x7E]+$"))
                                        .description(
                                                "Makes a retry safe: the same key and request within 24 h returns the first "
                                                        + "response (Idempotent-Replayed: true) without dialing; the same key with a different "
                                                        + "request is 422 IDEMPOTENCY_KEY_REUSED; a concurrent duplicate waits for the first."));
            }
        };
    }

    @Bean
    OpenAPI dialplaneOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Dialplane API")
                        .version("v1")
                        .description("Outbound calling for voice AI agents on LiveKit. Both compatible call APIs "
                                + "(TalkifAI POST /telephony/outbound-call, MrAssistant POST /calls/outbound) and the "
                                + "management API. Errors are RFC 9457 problem+json, except on /telephony/** where "
                                + "they use TalkifAI's {success, error, code} envelope.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("An organization API key: Authorization: Bearer dp_…"))
                        .addSecuritySchemes(
                                OpenApiDocument.API_KEY_HEADER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("x-api-key")
                                        .description(
                                                "The same organization API key in x-api-key (TalkifAI's header),"
                                                        + " instead of Authorization: Bearer; both headers with different keys is 401"))
                        .addSecuritySchemes(
                                "adminToken",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description(
                                                "DIALPLANE_ADMIN_TOKEN, for /admin/** only: Authorization: Bearer <admin token>"))
                        .addSecuritySchemes(
                                "reportToken",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description(
                                                "A call's report token, for POST /calls/{id}/outcome of that call only: the"
                                                        + " dialplane.report_token of its agent's job metadata (Authorization: Bearer"
                                                        + " dprt_…); valid until 24 h after the call ended")))
                // alternatives: either header authenticates
                .addSecurityItem(new SecurityRequirement().addList(OpenApiDocument.API_KEY))
                .addSecurityItem(new SecurityRequirement().addList(OpenApiDocument.API_KEY_HEADER));
    }
}
