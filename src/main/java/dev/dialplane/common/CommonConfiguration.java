package dev.dialplane.common;

import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class CommonConfiguration {

    @Bean
    RunMode runMode(Environment environment) {
        return RunMode.from(environment);
    }

    /**
     * UTC, ticking in microseconds: the precision PostgreSQL and H2 store, so a resource returned
     * at creation reads back identical.
     */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
