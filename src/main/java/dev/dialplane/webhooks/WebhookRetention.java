package dev.dialplane.webhooks;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Keeps the delivery log to its retention, so the outbox does not grow without end. */
@Component
class WebhookRetention {

    private static final Logger log = LoggerFactory.getLogger(WebhookRetention.class);

    private final DeliveryRepository deliveries;
    private final WebhooksProperties properties;
    private final Clock clock;

    WebhookRetention(DeliveryRepository deliveries, WebhooksProperties properties, Clock clock) {
        this.deliveries = deliveries;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    int forgetOldDeliveries() {
        var removed = deliveries.deleteFinishedBefore(clock.instant().minus(properties.retention()));
        if (removed > 0) {
            log.info("Removed {} webhook deliveries older than {}", removed, properties.retention());
        }
        return removed;
    }
}
