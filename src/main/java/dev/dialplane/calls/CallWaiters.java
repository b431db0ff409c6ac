package dev.dialplane.calls;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Requests waiting for a dial's outcome. Completed only after the change is committed, so a
 * waiter never reports a state that could still roll back.
 */
@Component
class CallWaiters {

    private final Map<UUID, CompletableFuture<Call>> waiting = new ConcurrentHashMap<>();

    CompletableFuture<Call> register(UUID callId) {
        return waiting.computeIfAbsent(callId, id -> new CompletableFuture<>());
    }

    void forget(UUID callId, CompletableFuture<Call> future) {
        waiting.remove(callId, future);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onStatusChanged(CallStatusChanged change) {
        if (change.call().status().isOutcome()) {
            var future = waiting.remove(change.call().id());
            if (future != null) {
                future.complete(change.call());
            }
        }
    }
}
