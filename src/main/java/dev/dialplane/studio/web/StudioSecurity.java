package dev.dialplane.studio.web;

import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Spring Security for Studio only. The API keeps its own authentication (API keys, the admin
 * token: orgs.web) and stays stateless: Spring Security's filter is registered for
 * {@code /studio/*} alone, so no other path meets a session, a CSRF check, its firewall or its
 * headers.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class StudioSecurity {

    static final String SIGN_IN = "/studio/sign-in";
    static final String DENIED = "/studio/denied";
    static final String OPERATOR_SIGN_IN = "/studio/operator/sign-in";
    static final String OPERATOR_HOME = "/studio/operator/organizations";

    /**
     * Scripts and styles from Dialplane's own files only (htmx is told not to inject styles or
     * evaluate code), no framing, forms posting only here.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self';"
            + " form-action 'self'; frame-ancestors 'none'";

    /** Boot registers Spring Security's filter for every path; Studio's is the only chain, so it is narrowed to Studio. */
    @Bean
    static BeanPostProcessor studioOnlySecurityFilter() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration
                        && "securityFilterChainRegistration".equals(beanName)) {
                    registration.setUrlPatterns(List.of("/studio/*"));
                }
                return bean;
            }
        };
    }

    /**
     * The operator's pages, {@code /studio/operator/**}: a chain of its own, ahead of the members',
     * with its own sign-in (the admin token, {@link OperatorAuthentication}) and only role OPERATOR
     * inside. A member signed in is refused here (403), and an operator is refused on the members'
     * pages (which require a member's role): the two sessions never see each other's pages.
     */
    @Bean
    @Order(1)
    SecurityFilterChain operatorFilterChain(HttpSecurity http, OperatorAuthentication operators) throws Exception {
        http.securityMatcher("/studio/operator/**")
                .authenticationManager(new ProviderManager(operators))
                .authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(
                                DispatcherType.FORWARD, DispatcherType.ERROR, DispatcherType.ASYNC)
                        .permitAll()
                        .requestMatchers(OPERATOR_SIGN_IN)
                        .permitAll()
                        .anyRequest()
                        .hasRole("OPERATOR"))
                .formLogin(form -> form.loginPage(OPERATOR_SIGN_IN)
                        .loginProcessingUrl(OPERATOR_SIGN_IN)
                        .usernameParameter("operator")
                        .passwordParameter("token")
                        .defaultSuccessUrl(OPERATOR_HOME, true)
                        .failureHandler(new SimpleUrlAuthenticationFailureHandler(OPERATOR_SIGN_IN + "?error")))
                .logout(logout -> logout.logoutUrl("/studio/operator/sign-out")
                        .logoutSuccessUrl(OPERATOR_SIGN_IN + "?signed-out")
                        .deleteCookies("JSESSIONID"));
        return common(http);
    }

    @Bean
    @Order(2)
    SecurityFilterChain studioFilterChain(HttpSecurity http, MemberAuthentication members) throws Exception {
        // Studio's own manager, with no parent to fall back on: a refused sign-in is checked (and
        // counted by the throttle) once
        http.securityMatcher("/studio/**")
                .authenticationManager(new ProviderManager(members))
                .authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(
                                DispatcherType.FORWARD, DispatcherType.ERROR, DispatcherType.ASYNC)
                        .permitAll()
                        .requestMatchers(SIGN_IN, DENIED, "/studio/assets/**", "/studio/webjars/**")
                        .permitAll()
                        // a viewer reads; only an owner manages members; nothing is changed by a GET
                        .requestMatchers(HttpMethod.POST, "/studio/settings/members/**")
                        .hasRole("OWNER")
                        .requestMatchers(HttpMethod.POST, "/studio/**")
                        .hasAnyRole("OWNER", "ADMIN")
                        // a member's role: an operator's session has none of these
                        .anyRequest()
                        .hasAnyRole("OWNER", "ADMIN", "VIEWER"))
                .formLogin(form -> form.loginPage(SIGN_IN)
                        .loginProcessingUrl(SIGN_IN)
                        .usernameParameter("email")
                        .passwordParameter("password")
                        .defaultSuccessUrl("/studio", true)
                        .failureHandler(new SimpleUrlAuthenticationFailureHandler(SIGN_IN + "?error")))
                .logout(logout -> logout.logoutUrl("/studio/sign-out")
                        .logoutSuccessUrl(SIGN_IN + "?signed-out")
                        .deleteCookies("JSESSIONID"));
        return common(http);
    }

    /** What both chains share: the 403 page, the CSP and the referrer policy. */
    private static SecurityFilterChain common(HttpSecurity http) throws Exception {
        var denied = new AccessDeniedHandlerImpl();
        // the 403 page, for a viewer's change, a member on an operator page (and the reverse), and
        // for a form without its CSRF token alike
        denied.setErrorPage(DENIED);
        http.exceptionHandling(exceptions -> exceptions.accessDeniedHandler(denied))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }
}
