package dev.dialplane.livekit;

import dev.dialplane.common.RunMode;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LiveKitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LiveKitConfiguration.class);

    @Bean
    LiveKitClient liveKitClient(
            RunMode mode,
            LiveKitProperties liveKit,
            SandboxProperties sandbox,
            LiveKitEventIntake intake,
            Clock clock) {
        if (mode.sandbox()) {
            log.info("Sandbox mode: calls go to the simulated carrier (set LIVEKIT_URL, LIVEKIT_API_KEY and "
                    + "LIVEKIT_API_SECRET to place real calls)");
            return new SandboxCarrier(sandbox, intake, clock);
        }
        log.info("LiveKit mode: calls go through {}", liveKit.url());
        return new SdkLiveKitClient(liveKit, clock);
    }
}
