package dev.dialplane.calls.web;

import dev.dialplane.common.web.ErrorBodies;
import dev.dialplane.orgs.ApiKeyService;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

    /** Only the routes that create calls take an Idempotency-Key. */
    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
            IdempotencyKeys keys, ApiKeyService apiKeys, ErrorBodies errors) {
        var registration = new FilterRegistrationBean<>(new IdempotencyFilter(keys, apiKeys, errors));
        registration.addUrlPatterns("/calls/outbound", "/telephony/outbound-call");
        return registration;
    }
}
