package dev.dialplane.studio.web;

import dev.dialplane.calls.CallStatusChanged;
import dev.dialplane.studio.StudioUser;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live status for Studio's pages: one Server-Sent Events stream per open page, told "calls" with
 * a call's id whenever one of its organization's calls changes status on this node (after the
 * change committed). Pages then fetch their fragments again through the same services. A change
 * made on another node of a cluster reaches the pages connected to that node.
 */
@Controller
class LiveEvents {

    /** EventSource reconnects by itself after this. */
    private static final Duration STREAM_LIFETIME = Duration.ofMinutes(15);

    private final Map<UUID, Set<SseEmitter>> streams = new ConcurrentHashMap<>();
    // a slow browser must never hold up the thread that changed the call
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    @GetMapping(path = "/studio/events", produces = "text/event-stream")
    @ResponseBody
    SseEmitter events(@AuthenticationPrincipal StudioUser user) {
        var emitter = new SseEmitter(STREAM_LIFETIME.toMillis());
        var organization = user.organizationId();
        var open = streams.computeIfAbsent(organization, id -> ConcurrentHashMap.newKeySet());
        open.add(emitter);
        Runnable close = () -> open.remove(emitter);
        emitter.onCompletion(close);
        emitter.onTimeout(close);
        emitter.onError(failure -> close.run());
        return emitter;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void callChanged(CallStatusChanged change) {
        var open = streams.get(change.call().organizationId());
        if (open == null || open.isEmpty()) {
            return;
        }
        var callId = change.call().id().toString();
        for (var emitter : open) {
            senders.execute(() -> {
                try {
                    emitter.send(SseEmitter.event().name("calls").data(callId));
                } catch (IOException | IllegalStateException gone) {
                    open.remove(emitter);
                }
            });
        }
    }

    /** Open streams would hold a graceful shutdown for its whole grace period. */
    @EventListener(ContextClosedEvent.class)
    void closeAll() {
        streams.values().forEach(open -> open.forEach(SseEmitter::complete));
        streams.clear();
        senders.shutdown();
    }
}
