package dev.dialplane.orgs.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.orgs.Tenant;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets controllers declare a {@link Tenant} parameter for the authenticated organization. */
class TenantArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Tenant.class;
    }

    @Override
    public Object resolveArgument(
            MethodParameter parameter,
            @Nullable ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest,
            @Nullable WebDataBinderFactory binderFactory) {
        var tenant = webRequest.getAttribute(ApiKeyInterceptor.TENANT_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (tenant == null) {
            // a public route declared a Tenant: refuse rather than act for nobody
            throw new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "This route needs an API key.");
        }
        return tenant;
    }
}
