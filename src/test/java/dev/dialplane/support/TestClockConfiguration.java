package dev.dialplane.support;

import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Replaces the application's clock with a {@link SettableClock}. Imported by the shared base class
 * only, so every integration test still runs in the one cached Spring context.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {

    /** Same resolution as the production clock: microseconds, what both databases store. */
    @Bean
    @Primary
    SettableClock settableClock() {
        return new SettableClock(Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000)));
    }
}
