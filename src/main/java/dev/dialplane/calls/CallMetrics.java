package dev.dialplane.calls;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Call metrics on {@code /actuator/prometheus}: queue depth by priority (of the whole database, so
 * every node reports the cluster's queue), time spent queued, and how calls ended. Dial starts per
 * trunk and dial latency are recorded where the dial happens.
 */
@Component
class CallMetrics {

    private final MeterRegistry meters;
    private final JdbcClient jdbc;
    private final MultiGauge queueDepth;

    CallMetrics(MeterRegistry meters, JdbcClient jdbc) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.queueDepth = MultiGauge.builder("dialplane.queue.depth")
                .description("Calls waiting in the queue, by priority")
                .register(meters);
        publishQueueDepth(new EnumMap<>(CallPriority.class));
    }

    @Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT5S")
    void refreshQueueDepth() {
        var depth = new EnumMap<CallPriority, Long>(CallPriority.class);
        jdbc.sql("select priority_rank, count(*) as queued from calls where status = 'queued' group by priority_rank")
                .query((rs, row) -> depth.put(CallPriority.values()[rs.getInt("priority_rank")], rs.getLong("queued")))
                .list();
        publishQueueDepth(depth);
    }

    private void publishQueueDepth(EnumMap<CallPriority, Long> depth) {
        var rows = new ArrayList<MultiGauge.Row<?>>();
        for (var priority : CallPriority.values()) {
            rows.add(MultiGauge.Row.of(Tags.of("priority", priority.toString()), depth.getOrDefault(priority, 0L)));
        }
        queueDepth.register(rows, true);
    }

    /** A call refused before it was stored (calling window, do-not-call list, attempt cap, credits …). */
    void refused(String code) {
        meters.counter("dialplane.calls.refused", "reason", code.toLowerCase(java.util.Locale.ROOT))
                .increment();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onStatusChanged(CallStatusChanged change) {
        var call = change.call();
        if (call.status() == CallStatus.DIALING
                && change.previous() == CallStatus.QUEUED
                && call.dialingAt() != null
                // a clock stepped back (NTP) is not a negative wait
                && !call.dialingAt().isBefore(call.createdAt())) {
            meters.timer("dialplane.queue.wait").record(Duration.between(call.createdAt(), call.dialingAt()));
        }
        if (call.status().isTerminal()) {
            meters.counter(
                            "dialplane.calls.ended",
                            "status",
                            call.status().toString(),
                            "end_reason",
                            call.endReason() == null ? "none" : call.endReason().toString())
                    .increment();
        }
    }
}
