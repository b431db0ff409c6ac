package dev.dialplane.calls.dispatch;

import dev.dialplane.calls.Call;
import dev.dialplane.calls.CallLifecycle;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.CallStatusChanged;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Every call passes through here (DESIGN.md §2 step 8). A new call is offered to its trunk at once,
 * so it dials immediately when the trunk and organization have room; otherwise it waits queued and
 * the dispatch loop claims it when a slot or a line frees up. Any number of nodes run this loop on
 * one database: claims lock rows, so a call is claimed once and limits hold for the cluster.
 *
 * <p>Dials run on virtual threads and are not interrupted at shutdown: a dial cut short would be
 * recorded falsely. A node that dies holding claims loses nothing: a claim with no dial sent goes
 * back to the queue when its lease ends, and a dial that was sent is settled by the supervisor.
 */
@Component
public class CallDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallDispatcher.class);
    private static final Duration HOUSEKEEPING = Duration.ofSeconds(5);

    private final CallClaims claims;
    private final Dialer dialer;
    private final CallLifecycle lifecycle;
    private final DispatchProperties properties;
    private final Clock clock;
    private final String node;
    private final ExecutorService dials = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dial-", 0).factory());
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private volatile Thread loop;

    @Autowired
    CallDispatcher(CallClaims claims, Dialer dialer, CallLifecycle lifecycle, DispatchProperties properties, Clock clock) {
        this(claims, dialer, lifecycle, properties, clock, properties.nodeId() == null ? defaultNodeName() : properties.nodeId());
    }

    /** A dispatcher with a chosen node name: several run in one process in the cluster tests. */
    CallDispatcher(CallClaims claims, Dialer dialer, CallLifecycle lifecycle, DispatchProperties properties, Clock clock, String node) {
        this.claims = claims;
        this.dialer = dialer;
        this.lifecycle = lifecycle;
        this.properties = properties;
        this.clock = clock;
        this.node = node;
    }

    /**
     * In the transaction that stores a new call: claims it for this node at once when nothing limits
     * its trunk or organization ({@link CallClaims#claimUnlimited}). Returns the call as it then is,
     * dialing or still queued.
     */
    public Call claimIfUnlimited(Call queued) {
        if (!properties.enabled()) {
            return queued;
        }
        return claims.claimUnlimited(queued, node).orElse(queued);
    }

    /**
     * Hands a newly stored call to the dialer: a call already claimed by {@link #claimIfUnlimited}
     * is dialed at once; a queued one is offered to its trunk, so it dials immediately when the
     * trunk and organization have room, else it waits queued. Returns the call as it then is.
     */
    public Call dispatch(Call placed) {
        if (!properties.enabled()) {
            return placed;
        }
        if (placed.status() == CallStatus.DIALING) {
            // its trunk had no rate limit and no pause a moment ago, in the claiming transaction
            dials.execute(() -> dialer.dial(placed, node, false));
            return placed;
        }
        try {
            if (!claims.mightClaimNow(placed)) {
                // behind others or on a paused trunk: the loop's next pass serves it in its turn,
                // without every enqueue of a long queue taking the trunk's lock
                wake();
                return placed;
            }
            claimAndDial(placed.sipTrunkId());
            wake();
            return lifecycle.get(placed.id());
        } catch (DataAccessException | TransactionException e) {
            // the call is stored: failing the request now would invite a retry that dials the person
            // twice. The dispatch loop claims it instead.
            log.warn("Call {}: immediate claim failed ({}); it stays queued for the dispatch loop", placed.id(), e.getMessage());
            wake();
            return placed;
        }
    }

    /** A queued call's estimated place in its trunk's queue; null when it is too deep to count. */
    public @org.jspecify.annotations.Nullable Long position(Call call) {
        return claims.position(call);
    }

    /** The time between dial starts on a rate-limited trunk, or null. */
    public @org.jspecify.annotations.Nullable Duration spacing(java.util.UUID trunkId) {
        return claims.spacing(trunkId);
    }

    /** This node's name in claims. */
    public String node() {
        return node;
    }

    /** A live call ended: its line (and maybe its organization's) is free for a queued call. */
    @TransactionalEventListener(fallbackExecution = true)
    void onStatusChanged(CallStatusChanged change) {
        if (change.call().status().isTerminal() && change.previous() != null && change.previous() != CallStatus.QUEUED) {
            wake();
        }
    }

    void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /** One pass over every trunk with queued calls; returns when the next pass is due. */
    Instant pass(Instant now) {
        var next = now.plus(properties.pollInterval());
        for (var trunk : claims.trunksWithQueuedCalls()) {
            var result = claimAndDial(trunk);
            if (!result.exhausted()) {
                next = now;
            } else if (result.wakeAt() != null && result.wakeAt().isBefore(next)) {
                next = result.wakeAt();
            }
        }
        return next;
    }

    private CallClaims.Result claimAndDial(java.util.UUID trunkId) {
        var result = claims.claim(trunkId, node, properties.batchSize());
        for (var call : result.claimed()) {
            dials.execute(() -> dialer.dial(call, node, true));
        }
        return result;
    }

    private void run() {
        var housekeepingDue = Instant.MIN;
        while (running) {
            try {
                var now = clock.instant();
                if (!now.isBefore(housekeepingDue)) {
                    claims.requeueExpiredClaims(now);
                    claims.cancelStaleQueued(now);
                    housekeepingDue = now.plus(HOUSEKEEPING);
                }
                var next = pass(now);
                var wait = Duration.between(clock.instant(), next);
                if (wait.isPositive()) {
                    wakeUp.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Dispatch pass failed; retrying in 1 s", e);
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        if (!properties.enabled() || running) {
            return;
        }
        running = true;
        loop = Thread.ofVirtual().name("dispatcher-" + node).start(this::run);
        log.info("Dispatcher {} started", node);
    }

    @Override
    public void stop() {
        running = false;
        var thread = loop;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static String defaultNodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + UUID.randomUUID().toString().substring(0, 6);
    }
}
