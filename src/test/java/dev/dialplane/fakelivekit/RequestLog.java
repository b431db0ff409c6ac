package dev.dialplane.fakelivekit;

import com.google.protobuf.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Requests in arrival order. An entry is added when the request arrives and completed when it is answered, so a dial
 * that is still ringing is already visible (with status 0) to {@link FakeLiveKit#awaitRequest}.
 */
final class RequestLog {

    static final class Entry {
        private final String service;
        private final String method;
        private final String contentType;
        private final Map<String, List<String>> headers;
        private final Map<String, Object> jwtClaims;
        private final Instant receivedAt;
        private @Nullable Message body;
        private int status;

        Entry(
                String service,
                String method,
                String contentType,
                Map<String, List<String>> headers,
                Map<String, Object> jwtClaims,
                Instant receivedAt) {
            this.service = service;
            this.method = method;
            this.contentType = contentType;
            this.headers = headers;
            this.jwtClaims = jwtClaims;
            this.receivedAt = receivedAt;
        }

        RecordedRequest snapshot() {
            return new RecordedRequest(service, method, contentType, headers, jwtClaims, body, status, receivedAt);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Entry> entries = new ArrayList<>();

    Entry add(Entry entry) {
        lock.lock();
        try {
            entries.add(entry);
            changed.signalAll();
            return entry;
        } finally {
            lock.unlock();
        }
    }

    void decoded(Entry entry, Message body) {
        lock.lock();
        try {
            entry.body = body;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void answered(Entry entry, int status) {
        lock.lock();
        try {
            entry.status = status;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    List<RecordedRequest> all() {
        lock.lock();
        try {
            return entries.stream().map(Entry::snapshot).toList();
        } finally {
            lock.unlock();
        }
    }

    List<RecordedRequest> matching(String service, String method) {
        return all().stream()
                .filter(r -> r.service().equals(service) && r.method().equals(method))
                .toList();
    }

    /**
     * Waits until {@code count} matching requests have arrived with a decoded body (or were answered without one)
     * and returns the first {@code count}.
     */
    List<RecordedRequest> await(String service, String method, int count, Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                List<RecordedRequest> ready = entries.stream()
                        .filter(e -> e.service.equals(service) && e.method.equals(method))
                        .filter(e -> e.body != null || e.status != 0)
                        .limit(count)
                        .map(Entry::snapshot)
                        .toList();
                if (ready.size() >= count) {
                    return ready;
                }
                if (nanos <= 0) {
                    throw new IllegalStateException("received " + ready.size() + " of " + count + " " + service + "/"
                            + method + " requests within " + timeout + "; all requests: " + summary());
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

    void clear() {
        lock.lock();
        try {
            entries.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private List<String> summary() {
        return entries.stream()
                .map(e -> e.service + "/" + e.method + " " + e.status)
                .toList();
    }
}
