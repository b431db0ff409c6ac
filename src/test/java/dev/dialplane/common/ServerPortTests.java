package dev.dialplane.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The HTTP port comes from {@code PORT} (the platform convention the README shows) or
 * {@code SERVER_PORT} (Spring's own name), and {@code SERVER_PORT} wins when both are set; the
 * management port likewise from {@code DIALPLANE_MANAGEMENT_PORT}. Resolved from the real
 * application.yml the way Spring Boot resolves it.
 */
class ServerPortTests {

    @Test
    void portAloneSetsTheHttpPort() {
        assertThat(port(Map.of("PORT", "9101"), "server.port")).isEqualTo(9101);
    }

    @Test
    void serverPortAloneSetsTheHttpPort() {
        assertThat(port(Map.of("SERVER_PORT", "9102"), "server.port")).isEqualTo(9102);
    }

    @Test
    void serverPortWinsOverPort() {
        assertThat(port(Map.of("PORT", "9101", "SERVER_PORT", "9102"), "server.port"))
                .isEqualTo(9102);
    }

    @Test
    void withNeitherTheDefaultsApply() {
        assertThat(port(Map.of(), "server.port")).isEqualTo(8080);
        assertThat(port(Map.of(), "management.server.port")).isEqualTo(8081);
    }

    @Test
    void theManagementPortHasItsOwnVariable() {
        assertThat(port(Map.of("DIALPLANE_MANAGEMENT_PORT", "9190", "PORT", "9101"), "management.server.port"))
                .isEqualTo(9190);
    }

    private static int port(Map<String, Object> variables, String property) {
        try {
            var environment = new StandardEnvironment();
            var sources = environment.getPropertySources();
            sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
            sources.replace(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
            new YamlPropertySourceLoader()
                    .load("application.yml", new ClassPathResource("application.yml"))
                    .forEach(sources::addLast);
            return Binder.get(environment).bind(property, Integer.class).get();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
