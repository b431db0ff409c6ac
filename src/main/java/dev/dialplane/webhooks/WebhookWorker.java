package dev.dialplane.webhooks;

import dev.dialplane.common.crypto.SecretBox.SecretUnreadable;
import dev.dialplane.webhooks.DeliveryClaims.ClaimedDelivery;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sends due deliveries. One loop claims them ({@link DeliveryClaims}) when woken after a commit
 * that queued some, after each finished send, and at least every poll interval; each claimed
 * delivery is sent on a virtual thread of its own. In-flight requests are bounded per process and
 * per endpoint, and only as many rows are claimed as there are free slots, so a slow endpoint holds
 * at most its own slots and never a row another process could send. Calls never wait for any of
 * this: the dial path only writes rows.
 */
@Component
class WebhookWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
    static final String TALKIFAI_SIGNATURE = "X-TalkifAI-Signature";
    static final String PREVIOUS_SIGNATURE = "X-Dialplane-Previous-Signature";

    private final DeliveryClaims claims;
    private final WebhookSender sender;
    private final EndpointSecrets secrets;
    private final WebhookMetrics metrics;
    private final WebhooksProperties properties;
    private final Clock clock;
    private final Semaphore slots;
    private final Map<UUID, Integer> inFlightByEndpoint = new ConcurrentHashMap<>();
    private final BlockingQueue<Boolean> wakeUps = new ArrayBlockingQueue<>(1);
    // a lock, not synchronized: claiming does JDBC, which would pin a virtual thread's carrier on JDK 21
    private final ReentrantLock claiming = new ReentrantLock();
    private volatile boolean running;
    private @Nullable Thread loop;
    private @Nullable ExecutorService sends;

    WebhookWorker(
            DeliveryClaims claims,
            WebhookSender sender,
            EndpointSecrets secrets,
            WebhookMetrics metrics,
            WebhooksProperties properties,
            Clock clock) {
        this.claims = claims;
        this.sender = sender;
        this.secrets = secrets;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
        this.slots = new Semaphore(properties.maxInFlight());
    }

    @Override
    public boolean isAutoStartup() {
        return properties.deliveryEnabled();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        sends = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("webhook-send-", 0).factory());
        loop = Thread.ofVirtual().name("webhook-worker").start(this::run);
    }

    /**
     * Stops claiming, then lets requests in flight finish for up to one request's time. A request
     * still running after that is abandoned: its lease runs out and the delivery is sent again.
     */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        wakeUp();
        var inFlight = sends;
        try {
            if (loop != null) {
                loop.join(properties.lease());
            }
            if (inFlight != null) {
                inFlight.shutdown();
                if (!inFlight.awaitTermination(
                        properties
                                .connectTimeout()
                                .plus(properties.requestTimeout())
                                .toMillis(),
                        TimeUnit.MILLISECONDS)) {
                    inFlight.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop = null;
        sends = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onDeliveriesQueued(DeliveriesQueued queued) {
        wakeUp();
    }

    void wakeUp() {
        wakeUps.offer(Boolean.TRUE);
    }

    /** Claims due deliveries and starts sending them while slots are free; returns how many it started. */
    int drain() {
        claiming.lock();
        try {
            int started = 0;
            while (running) {
                int free = slots.availablePermits();
                if (free == 0) {
                    break;
                }
                var batch = claims.claim(clock.instant(), properties.lease(), free, fullEndpoints(), this::allowance);
                if (batch.isEmpty()) {
                    break;
                }
                batch.forEach(this::launch);
                started += batch.size();
            }
            return started;
        } finally {
            claiming.unlock();
        }
    }

    private void run() {
        while (running) {
            try {
                drain();
            } catch (RuntimeException e) {
                log.warn(
                        "Webhook worker could not claim deliveries, trying again in {}: {}",
                        properties.pollInterval(),
                        e.toString());
            }
            try {
                wakeUps.poll(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void launch(ClaimedDelivery delivery) {
        // only the claiming loop takes slots, and it claimed no more than were free
        slots.acquireUninterruptibly();
        inFlightByEndpoint.merge(delivery.endpointId(), 1, Integer::sum);
        try {
            var executor = sends;
            if (executor == null) {
                throw new RejectedExecutionException("stopped");
            }
            executor.execute(() -> {
                try {
                    deliver(delivery);
                } catch (RuntimeException e) {
                    log.error(
                            "Webhook delivery {} failed unexpectedly; it is sent again when its lease runs out",
                            delivery.id(),
                            e);
                } finally {
                    release(delivery);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping: the lease runs out and the delivery is due again
            release(delivery);
        }
    }

    private void release(ClaimedDelivery delivery) {
        inFlightByEndpoint.computeIfPresent(delivery.endpointId(), (id, count) -> count > 1 ? count - 1 : null);
        slots.release();
        wakeUp();
    }

    private void deliver(ClaimedDelivery delivery) {
        var attemptedAt = clock.instant();
        WebhookSender.Result result;
        try {
            if (delivery.format() == WebhookFormat.TALKIFAI) {
                result = sender.send(
                        delivery.url(),
                        talkifaiHeaders(delivery, signingSecrets(delivery, attemptedAt)),
                        delivery.payload());
            } else {
                var timestamp = attemptedAt.getEpochSecond();
                var signature = Signatures.header(
                        delivery.webhookId(), timestamp, delivery.payload(), signingSecrets(delivery, attemptedAt));
                result = sender.send(delivery.url(), delivery.webhookId(), timestamp, signature, delivery.payload());
            }
        } catch (SecretUnreadable e) {
            result = new WebhookSender.Result(
                    null,
                    "the endpoint's signing secret cannot be decrypted with the configured master keys; rotate it",
                    0);
        } catch (InterruptedException e) {
            // stopping mid-request: nothing is recorded, the lease runs out and the delivery is sent again
            Thread.currentThread().interrupt();
            return;
        }
        metrics.attempted(result.delivered());
        var attempt = new DeliveryAttempt(
                delivery.attempts() + 1, attemptedAt, result.statusCode(), result.error(), result.durationMs());
        var next = RetrySchedule.next(delivery.format(), result.delivered(), delivery.retryStep(), attemptedAt);
        if (!claims.complete(delivery, attempt, next)) {
            log.warn(
                    "Webhook delivery {}: attempt {} not recorded, the delivery is no longer this worker's "
                            + "(its lease ran out and another worker took it over, or the endpoint was deleted)",
                    delivery.id(),
                    attempt.number());
        } else if (next.status() == DeliveryStatus.FAILED) {
            log.warn(
                    "Webhook delivery {} to endpoint {} failed for good after {} attempts in a row; last error: {}",
                    delivery.id(),
                    delivery.endpointId(),
                    next.retryStep(),
                    result.error());
        }
    }

    /**
     * TalkifAI's one signature header, by the current secret, and no Standard Webhooks headers (the
     * envelope's {@code id} identifies the message). TalkifAI has no rotation, so during an overlap
     * the replaced secret's signature travels in a header of Dialplane's own.
     */
    static Map<String, String> talkifaiHeaders(ClaimedDelivery delivery, List<String> secrets) {
        var headers = new LinkedHashMap<String, String>();
        headers.put(TALKIFAI_SIGNATURE, Signatures.talkifai(delivery.payload(), secrets.getFirst()));
        if (secrets.size() > 1) {
            headers.put(PREVIOUS_SIGNATURE, Signatures.talkifai(delivery.payload(), secrets.get(1)));
        }
        return headers;
    }

    /** The current secret, and during a rotation's overlap also the replaced one. */
    private List<String> signingSecrets(ClaimedDelivery delivery, Instant now) {
        var signing = new ArrayList<String>(2);
        signing.add(secrets.openCurrent(delivery.endpointId(), delivery.secretCiphertext()));
        var previous = delivery.previousSecretCiphertext();
        var expiresAt = delivery.previousSecretExpiresAt();
        if (previous != null && expiresAt != null && now.isBefore(expiresAt)) {
            signing.add(secrets.openPrevious(delivery.endpointId(), previous));
        }
        return signing;
    }

    private Set<UUID> fullEndpoints() {
        return inFlightByEndpoint.entrySet().stream()
                .filter(entry -> entry.getValue() >= properties.maxInFlightPerEndpoint())
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private int allowance(UUID endpointId) {
        return properties.maxInFlightPerEndpoint() - inFlightByEndpoint.getOrDefault(endpointId, 0);
    }
}
