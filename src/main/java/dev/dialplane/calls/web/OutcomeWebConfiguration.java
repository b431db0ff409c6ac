package dev.dialplane.calls.web;

import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.orgs.ApiKeyService;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class OutcomeWebConfiguration implements WebMvcConfigurer {

    private final CallOutcomes outcomes;
    private final ApiKeyService apiKeys;

    OutcomeWebConfiguration(CallOutcomes outcomes, ApiKeyService apiKeys) {
        this.outcomes = outcomes;
        this.apiKeys = apiKeys;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new OutcomeAuthentication(outcomes, apiKeys)).addPathPatterns("/calls/*/outcome");
    }
}
