package dev.dialplane.common.web;

import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The filters that run before all others, so whatever happens later is answered in Dialplane's shape. */
@Configuration(proxyBeanMethods = false)
class FirstFilters {

    /** First of all filters: whatever answers the request, a filter or the error page, the id is there. */
    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        var registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.ASYNC);
        return registration;
    }

    /** Next, before anything reads the body: a body over the limit is refused, never buffered. */
    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(ErrorBodies errors) {
        var registration = new FilterRegistrationBean<>(
                new BodySizeLimitFilter(errors, JsonLimits.MAX_BODY_BYTES, JsonLimits.ROUTE_BODY_LIMITS));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Next: it answers with the request's id, and around every filter that may read the database. */
    @Bean
    FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailableFilter(ErrorBodies errors) {
        var registration = new FilterRegistrationBean<>(new DatabaseUnavailableFilter(errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}
