package dev.dialplane.studio.web;

import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Studio's own CSS and scripts and the WebJars it uses (htmx and its SSE extension), served under
 * {@code /studio} by Dialplane itself: no CDN, so Studio works offline and behind a firewall.
 */
@Configuration(proxyBeanMethods = false)
class StudioResources implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/studio/assets/**")
                .addResourceLocations("classpath:/studio/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
        // versioned paths (htmx.org/2.0.8/...): cached for long
        registry.addResourceHandler("/studio/webjars/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)));
    }
}
