package dev.dialplane.fakelivekit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import livekit.LivekitWebhook.WebhookEvent;
import org.jspecify.annotations.Nullable;

/**
 * The webhooks the fake generates, and their delivery under the test's control (contract §4). By default nothing is
 * sent: events wait in {@link #pending()} until the test delivers them, in order, twice, or reordered. With
 * {@link #autoDeliver(boolean)} they are POSTed as they happen, one at a time in generation order, like LiveKit's
 * per-room FIFO queue. There are no retries; {@link #deliverTwice} stands in for a retried or duplicated delivery.
 */
public final class FakeWebhooks {

    /** Go protojson defaults: lowerCamelCase names, int64 as strings, default values omitted. */
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private static final Duration TOKEN_TTL = Duration.ofMinutes(5);

    private final String apiKey;
    private final String apiSecret;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<WebhookEvent> generated = new ArrayList<>();
    private final List<WebhookEvent> pending = new ArrayList<>();
    private final List<WebhookDelivery> deliveries = new ArrayList<>();
    private final ExecutorService autoSender = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("fake-livekit-webhooks").factory());
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private volatile @Nullable URI target;
    private boolean autoDeliver;
    private @Nullable String signingSecret;
    private long generation;

    FakeWebhooks(String apiKey, String apiSecret) {
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
    }

    void target(URI uri) {
        this.target = uri;
    }

    /** When on, every event (including those pending now) is POSTed in the background as soon as it exists. */
    public void autoDeliver(boolean on) {
        lock.lock();
        try {
            autoDeliver = on;
            if (on) {
                pending.forEach(this::sendInBackground);
                pending.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Signs later deliveries with another secret so that the receiver's signature check must fail; {@code null}
     * restores the API secret.
     */
    public void signWith(@Nullable String secret) {
        lock.lock();
        try {
            signingSecret = secret;
        } finally {
            lock.unlock();
        }
    }

    /** Events generated but not delivered yet, oldest first. */
    public List<WebhookEvent> pending() {
        lock.lock();
        try {
            return List.copyOf(pending);
        } finally {
            lock.unlock();
        }
    }

    /** Every event generated since start or {@link FakeLiveKit#reset()}, delivered or not, oldest first. */
    public List<WebhookEvent> generated() {
        lock.lock();
        try {
            return List.copyOf(generated);
        } finally {
            lock.unlock();
        }
    }

    /** Every POST made so far, in the order made. */
    public List<WebhookDelivery> deliveries() {
        lock.lock();
        try {
            return List.copyOf(deliveries);
        } finally {
            lock.unlock();
        }
    }

    /** Delivers all pending events in order and returns the target's statuses. */
    public List<Integer> deliverAll() {
        List<WebhookEvent> batch;
        lock.lock();
        try {
            batch = List.copyOf(pending);
            pending.clear();
        } finally {
            lock.unlock();
        }
        return batch.stream().map(this::post).toList();
    }

    /** Delivers one event (pending or not; it leaves the pending list) and returns the target's status. */
    public int deliver(WebhookEvent event) {
        removePending(List.of(event));
        return post(event);
    }

    /** Delivers the same event, same id, twice in a row, as a retry after a lost response would. */
    public List<Integer> deliverTwice(WebhookEvent event) {
        removePending(List.of(event));
        return List.of(post(event), post(event));
    }

    /** Delivers the given events in exactly this order, e.g. {@code participant_left} before {@code joined}. */
    public List<Integer> deliverInOrder(List<WebhookEvent> events) {
        removePending(events);
        return events.stream().map(this::post).toList();
    }

    /** The body and Authorization header this event would be POSTed with right now. */
    public SignedWebhook sign(WebhookEvent event) {
        String secret;
        lock.lock();
        try {
            secret = signingSecret == null ? apiSecret : signingSecret;
        } finally {
            lock.unlock();
        }
        return sign(event, secret);
    }

    /** Waits until an event with this name has been generated and returns the first such event. */
    public WebhookEvent awaitEvent(String eventName, Duration timeout) {
        return awaitEvent(e -> e.getEvent().equals(eventName), timeout);
    }

    /** Waits until a generated event matches and returns the first match. */
    public WebhookEvent awaitEvent(Predicate<WebhookEvent> matcher, Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (WebhookEvent event : generated) {
                    if (matcher.test(event)) {
                        return event;
                    }
                }
                if (nanos <= 0) {
                    throw new IllegalStateException("no matching webhook event within " + timeout + "; generated: "
                            + generated.stream().map(WebhookEvent::getEvent).toList());
                }
                nanos = changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code count} POSTs were made (useful with {@link #autoDeliver(boolean)}). */
    public List<WebhookDelivery> awaitDeliveries(int count, Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (deliveries.size() < count) {
                if (nanos <= 0) {
                    throw new IllegalStateException(
                            "only " + deliveries.size() + " of " + count + " webhook deliveries within " + timeout);
                }
                nanos = changed.awaitNanos(nanos);
            }
            return List.copyOf(deliveries);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Stamps id and createdAt when missing and queues or sends the event. Safe to call under the state lock. */
    WebhookEvent enqueue(WebhookEvent event) {
        WebhookEvent.Builder stamped = event.toBuilder();
        if (stamped.getId().isEmpty()) {
            stamped.setId(Ids.next("EV_"));
        }
        if (stamped.getCreatedAt() == 0) {
            stamped.setCreatedAt(Instant.now().getEpochSecond());
        }
        WebhookEvent ready = stamped.build();
        lock.lock();
        try {
            generated.add(ready);
            if (autoDeliver) {
                sendInBackground(ready);
            } else {
                pending.add(ready);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return ready;
    }

    /** Forgets all events and deliveries and restores the defaults, but keeps the target. */
    void reset() {
        lock.lock();
        try {
            generation++;
            generated.clear();
            pending.clear();
            deliveries.clear();
            autoDeliver = false;
            signingSecret = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            generation++;
        } finally {
            lock.unlock();
        }
        autoSender.shutdownNow();
        try {
            autoSender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.shutdownNow();
    }

    private void sendInBackground(WebhookEvent event) {
        long queuedIn = generation;
        autoSender.execute(() -> {
            if (currentGeneration() != queuedIn) {
                return;
            }
            try {
                post(event);
            } catch (RuntimeException e) {
                SignedWebhook signed = sign(event);
                record(new WebhookDelivery(event, signed.body(), signed.authorization(), -1, Instant.now()));
            }
        });
    }

    private long currentGeneration() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    private void removePending(List<WebhookEvent> events) {
        lock.lock();
        try {
            for (WebhookEvent event : events) {
                pending.removeIf(p -> p.getId().equals(event.getId()));
            }
        } finally {
            lock.unlock();
        }
    }

    private int post(WebhookEvent event) {
        URI uri = target;
        if (uri == null) {
            throw new IllegalStateException("no webhook target; call FakeLiveKit.webhookTarget(URI) first");
        }
        SignedWebhook signed = sign(event);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", SignedWebhook.CONTENT_TYPE)
                .header("User-Agent", "LiveKit")
                // The raw token, without "Bearer ": that is what LiveKit sends and what WebhookReceiver expects.
                .header("Authorization", signed.authorization())
                .POST(HttpRequest.BodyPublishers.ofString(signed.body(), StandardCharsets.UTF_8))
                .build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("webhook target " + uri + " unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        record(new WebhookDelivery(event, signed.body(), signed.authorization(), status, Instant.now()));
        return status;
    }

    private void record(WebhookDelivery delivery) {
        lock.lock();
        try {
            deliveries.add(delivery);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private SignedWebhook sign(WebhookEvent event, String secret) {
        String body;
        try {
            body = PRINTER.print(event);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        byte[] digest = Jwt.sha256(body.getBytes(StandardCharsets.UTF_8));
        long now = Instant.now().getEpochSecond();
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", apiKey);
        claims.put("nbf", now);
        claims.put("exp", now + TOKEN_TTL.toSeconds());
        claims.put("sha256", Base64.getEncoder().encodeToString(digest));
        return new SignedWebhook(body, Jwt.sign(claims, secret));
    }
}
