package dev.dialplane.calls;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Requests waiting for a dial's outcome. Completed only after the change is committed, so a
 * waiter never reports a state that could still roll back: by this node's own change, or by
 * another node's, which {@link OutcomeNotifications} reports.
 */
@Component
class CallWaiters {

    private final Map<UUID, CompletableFuture<Call>> waiting = new ConcurrentHashMap<>();
    private final CallRepository calls;

    CallWaiters(CallRepository calls, OutcomeNotifications notifications) {
        this.calls = calls;
        notifications.subscribe(this::settledSomewhere, () -> waiting.keySet().forEach(this::settledSomewhere));
    }

    /** A call got its outcome, maybe on another node: a caller waiting here for it is answered now. */
    void settledSomewhere(UUID callId) {
        var future = waiting.get(callId);
        if (future == null) {
            return;
        }
        calls.find(callId).filter(call -> call.status().isOutcome()).ifPresent(call -> {
            waiting.remove(callId, future);
            future.complete(call);
        });
    }

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
