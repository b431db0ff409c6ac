package dev.dialplane;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.dialplane.orgs.Tenant;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (UI at {@code /swagger-ui.html}). springdoc reads
 * models with its own Jackson 2 mapper, so it is told the snake_case naming the API really uses.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        // the authenticated organization comes from the API key, not from the request
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Tenant.class);
    }

    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
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
                        .addSecuritySchemes("apiKey", new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .description("An organization API key: Authorization: Bearer dp_…"))
                        .addSecuritySchemes("adminToken", new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .description("DIALPLANE_ADMIN_TOKEN, for /admin/** only")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
