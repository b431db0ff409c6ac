package dev.dialplane.livekit;

import dev.dialplane.common.Jdbc;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where LiveKit events enter Dialplane. Each event id is recorded and the event handled in one
 * transaction: a repeat of a handled event is dropped, and an event whose handling failed is not
 * recorded, so LiveKit's retry gets another chance.
 */
@Component
public class LiveKitEventIntake {

    private static final Logger log = LoggerFactory.getLogger(LiveKitEventIntake.class);
    /** Longer than LiveKit could plausibly repeat an event (its queue drops events after 30 s). */
    private static final Duration RETENTION = Duration.ofDays(7);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    LiveKitEventIntake(
            JdbcClient jdbc, TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    /** @return false when the event was handled before */
    public boolean accept(LiveKitEvent event) {
        try {
            return Boolean.TRUE.equals(transactions.execute(status -> {
                jdbc.sql("""
                                insert into livekit_webhook_events (id, event, room_name, received_at)
                                values (:id, :event, :room, :now)""")
                        .param("id", event.id())
                        .param("event", event.getClass().getSimpleName())
                        .param("room", event.roomName())
                        .param("now", Jdbc.utc(clock.instant()))
                        .update();
                events.publishEvent(event);
                return true;
            }));
        } catch (DuplicateKeyException duplicate) {
            log.debug("LiveKit event {} was already handled", event.id());
            return false;
        }
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void forgetOldEvents() {
        var removed = jdbc.sql("delete from livekit_webhook_events where received_at < :before")
                .param("before", Jdbc.utc(clock.instant().minus(RETENTION)))
                .update();
        if (removed > 0) {
            log.debug("Forgot {} LiveKit event ids older than {}", removed, RETENTION);
        }
    }
}
