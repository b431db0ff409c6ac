package dev.dialplane.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code dialplane.webhooks.backlog}: pending deliveries in the whole database (read when
 * scraped); {@code dialplane.webhooks.attempts}: attempts this process made, by {@code result}
 * ({@code delivered} or {@code failed}).
 */
@Component
class WebhookMetrics {

    private final Counter delivered;
    private final Counter failed;

    WebhookMetrics(MeterRegistry registry, DeliveryRepository deliveries) {
        Gauge.builder("dialplane.webhooks.backlog", deliveries, DeliveryRepository::countPending)
                .description("Webhook deliveries waiting to be delivered (pending), over all processes")
                .register(registry);
        this.delivered = attempts(registry, "delivered");
        this.failed = attempts(registry, "failed");
    }

    void attempted(boolean succeeded) {
        (succeeded ? delivered : failed).increment();
    }

    private static Counter attempts(MeterRegistry registry, String result) {
        return Counter.builder("dialplane.webhooks.attempts")
                .description("Webhook delivery attempts made by this process")
                .tag("result", result)
                .register(registry);
    }
}
