package dev.dialplane.orgs.web;

import dev.dialplane.orgs.AdminToken;
import dev.dialplane.orgs.ApiKeyService;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    /**
     * Routes that authenticate some other way (admin token, LiveKit signature, a call's report token
     * or an API key, checked by calls.web, a Studio session) or not at all.
     */
    static final List<String> NOT_API_KEY_ROUTES = List.of(
            "/admin/**",
            "/webhooks/livekit",
            "/calls/*/outcome",
            "/actuator/**",
            "/v3/api-docs/**",
            "/swagger-ui/**",
            "/swagger-ui.html",
            // Studio: members' sessions (studio.web)
            "/studio/**",
            "/error");

    private final ApiKeyService apiKeys;
    private final AdminToken adminToken;

    WebConfiguration(ApiKeyService apiKeys, AdminToken adminToken) {
        this.apiKeys = apiKeys;
        this.adminToken = adminToken;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ApiKeyInterceptor(apiKeys))
                .addPathPatterns("/**")
                .excludePathPatterns(NOT_API_KEY_ROUTES);
        registry.addInterceptor(new AdminInterceptor(adminToken)).addPathPatterns("/admin/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new TenantArgumentResolver());
    }
}
