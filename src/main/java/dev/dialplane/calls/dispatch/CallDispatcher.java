package dev.dialplane.calls.dispatch;

import dev.dialplane.calls.Call;
import dev.dialplane.calls.CallLifecycle;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.CallStatusChanged;
import dev.dialplane.common.WakeableLoop;
import dev.dialplane.compliance.CallingWindowChanged;
import dev.dialplane.orgs.OrganizationLimitsChanged;
import dev.dialplane.trunks.TrunkLimitsChanged;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Every call passes through here (DESIGN.md §2 step 8). A new call is offered to its trunk at once,
 * so it dials immediately when the trunk and organization have room; otherwise it waits queued and
 * the dispatch loop claims it when a slot or a line frees up. Any number of nodes run this loop on
 * one database: claims lock rows, so a call is claimed once and limits hold for the cluster.
 *
 * <p>A node prepares at most {@code max-dials-preparing} dials at once: a new call claims one of
 * those slots to dial at once, and the loop claims no more calls than it has slots. A burst beyond
 * what the node keeps up with therefore waits in the queue, in order, instead of piling up requests
 * at LiveKit until they time out and the calls fail for no fault of LiveKit's.
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
    private final ExecutorService dials = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("dial-", 0).factory());
    private final WakeableLoop loop;
    private final Semaphore preparing;
    /** Set when a claim went without for lack of preparation slots: only then does a freed slot wake the loop. */
    private final AtomicBoolean starved = new AtomicBoolean();
    /** The earliest moment a call this node put back in the queue becomes due again (a capacity retry). */
    private final AtomicReference<@org.jspecify.annotations.Nullable Instant> retryDue = new AtomicReference<>();

    /**
     * Per trunk, the moment before which no claim on it can succeed (its pace, a pause), as this
     * node's last claim there found under the trunk's lock. Until then passes and new calls leave
     * the trunk alone instead of taking its lock to learn it again: on a busy paced trunk most
     * claims found nothing, and each held up the claims and send bookings that did. The moment
     * only moves later by other nodes' claims; a trunk's limits changed here forget it, and one
     * changed on another node keeps this node off the trunk one old spacing at most.
     */
    private final Map<UUID, Paced> claimableAt = new ConcurrentHashMap<>();

    /** No claim on a trunk succeeds before {@code until}, as found at {@code seenAt}. */
    private record Paced(Instant seenAt, Instant until) {}

    /** When the next scheduled call is due (known from this node's own calls and housekeeping); null: none. */
    private final AtomicReference<@org.jspecify.annotations.Nullable Instant> scheduledDue = new AtomicReference<>();

    private int passes;
    private Instant housekeepingDue = Instant.MIN;

    @Autowired
    CallDispatcher(
            CallClaims claims,
            Dialer dialer,
            CallLifecycle lifecycle,
            DispatchProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this(
                claims,
                dialer,
                lifecycle,
                properties,
                clock,
                meters,
                properties.nodeId() == null ? defaultNodeName() : properties.nodeId());
    }

    /** A dispatcher with a chosen node name: several run in one process in the cluster tests. */
    CallDispatcher(
            CallClaims claims,
            Dialer dialer,
            CallLifecycle lifecycle,
            DispatchProperties properties,
            Clock clock,
            MeterRegistry meters,
            String node) {
        this.claims = claims;
        this.dialer = dialer;
        this.lifecycle = lifecycle;
        this.properties = properties;
        this.clock = clock;
        this.node = node;
        this.preparing = new Semaphore(properties.maxDialsPreparing());
        this.loop = new WakeableLoop(
                "dispatcher-" + node, clock, Duration.ofSeconds(1), Duration.ofDays(1), log, this::turn);
        Gauge.builder(
                        "dialplane.dials.preparing",
                        preparing,
                        slots -> properties.maxDialsPreparing() - slots.availablePermits())
                .description(
                        "dials this node is preparing (room, agent dispatch) before sending them; at its limit new calls queue")
                .tag("node", node)
                .register(meters);
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
        if (!preparing.tryAcquire()) {
            // a node busy preparing as many dials as it may leaves the call queued, in its turn
            starved.set(true);
            return queued;
        }
        var claimed = claims.claimUnlimited(queued, node);
        if (claimed.isEmpty()) {
            returnUnused(1);
            return queued;
        }
        // the slot goes with the call to dispatch(), unless the storing transaction does not commit
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        returnUnused(1);
                    }
                }
            });
        }
        return claimed.get();
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
            dials.execute(() -> dial(placed, false));
            return placed;
        }
        var trunk = java.util.Objects.requireNonNull(placed.sipTrunkId(), "a queued call has a trunk");
        if (pacedUntil(trunk, clock.instant()) != null) {
            // its trunk's pace holds every claim until then: the loop's pass then serves it in its turn
            wake();
            return placed;
        }
        try {
            if (!claims.mightClaimNow(placed)) {
                // behind others or on a paused trunk: the loop's next pass serves it in its turn,
                // without every enqueue of a long queue taking the trunk's lock
                wake();
                return placed;
            }
            claimAndDial(trunk, clock.instant());
            wake();
            return lifecycle.get(placed.id());
        } catch (DataAccessException | TransactionException e) {
            // the call is stored: failing the request now would invite a retry that dials the person
            // twice. The dispatch loop claims it instead.
            log.warn(
                    "Call {}: immediate claim failed ({}); it stays queued for the dispatch loop",
                    placed.id(),
                    e.getMessage());
            wake();
            return placed;
        }
    }

    /**
     * A call was stored scheduled, due at {@code due}: the loop queues it then. The due time is
     * stored with the call and every node's housekeeping finds it; this only makes it exact here.
     */
    public void scheduled(Instant due) {
        scheduledDue.accumulateAndGet(
                due, (current, candidate) -> current == null || candidate.isBefore(current) ? candidate : current);
        wake();
    }

    /** This node's name in claims. */
    public String node() {
        return node;
    }

    /** A live call ended: its line (and maybe its organization's) is free for a queued call. */
    @TransactionalEventListener(fallbackExecution = true)
    void onStatusChanged(CallStatusChanged change) {
        if (change.call().status().isTerminal()
                && change.previous() != null
                && change.previous() != CallStatus.QUEUED) {
            wake();
        }
    }

    /** A trunk's limits changed: raised, they may let a queued call go now. */
    @TransactionalEventListener(fallbackExecution = true)
    void onTrunkLimitsChanged(TrunkLimitsChanged change) {
        claimableAt.remove(change.trunkId());
        wake();
    }

    /** An organization's concurrency limit changed: raised, it may let a queued call go now. */
    @TransactionalEventListener(fallbackExecution = true)
    void onOrganizationLimitsChanged(OrganizationLimitsChanged change) {
        wake();
    }

    /**
     * The organization's calling window changed: its calls waiting for an opening of the old window
     * are looked at again now (the claim holds them again if the new window is closed too).
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onCallingWindowChanged(CallingWindowChanged change) {
        if (claims.releaseWindowHolds(change.organizationId(), clock.instant()) > 0) {
            scheduledDue.set(clock.instant());
            wake();
        }
    }

    void wake() {
        loop.wake();
    }

    /**
     * One turn of the dispatch loop: housekeeping when due, then one pass over every trunk with
     * queued calls. Returns when the next turn is due; the loop waits until then unless woken by
     * something that can change the answer (a new call, an ended call, a freed preparation slot a
     * claim went without, a raised limit).
     */
    Instant turn(Instant now) {
        // also when the clock stepped back further than one housekeeping interval
        if (!now.isBefore(housekeepingDue) || housekeepingDue.isAfter(now.plus(HOUSEKEEPING))) {
            claims.requeueExpiredClaims(now);
            // a call past its latest_at ends for that reason, even when it also waited too long
            claims.expirePastLatest(now);
            claims.cancelStaleQueued(now);
            queueDueScheduled(now);
            housekeepingDue = now.plus(HOUSEKEEPING);
        } else {
            var due = scheduledDue.get();
            if (due != null && !due.isAfter(now)) {
                queueDueScheduled(now);
            }
        }
        var next = pass(now);
        var due = scheduledDue.get();
        if (due != null && due.isBefore(next)) {
            next = due;
        }
        var retry = retryDue.get();
        if (retry != null) {
            if (!retry.isAfter(now)) {
                retryDue.compareAndSet(retry, null);
            } else if (retry.isBefore(next)) {
                next = retry;
            }
        }
        return next;
    }

    /** Queues the scheduled calls that are due, then looks up when the next one is. */
    private void queueDueScheduled(Instant now) {
        claims.queueDueScheduled(now);
        scheduledDue.set(claims.nextScheduledDue().orElse(null));
    }

    /** Whether something woke the loop since it last waited: its next turn then starts at once. */
    boolean wakePending() {
        return loop.wakePending();
    }

    /** Consumes the wake-ups so far, as the loop does each time it has waited. */
    void drainWakeUps() {
        loop.drainWakeUps();
    }

    /** One pass over every trunk with queued calls; returns when the next pass is due. */
    Instant pass(Instant now) {
        var next = now.plus(properties.pollInterval());
        var trunks = new ArrayList<>(claims.trunksWithQueuedCalls());
        // when the node's preparation slots run out within a pass, the next pass starts elsewhere
        if (!trunks.isEmpty()) {
            Collections.rotate(trunks, -(passes++ % trunks.size()));
        }
        for (var trunk : trunks) {
            var paced = pacedUntil(trunk, now);
            if (paced != null) {
                if (paced.isBefore(next)) {
                    next = paced;
                }
                continue;
            }
            var result = claimAndDial(trunk, now);
            if (!result.exhausted()) {
                next = now;
            } else if (result.wakeAt() != null && result.wakeAt().isBefore(next)) {
                next = result.wakeAt();
            }
        }
        return next;
    }

    private CallClaims.Result claimAndDial(UUID trunkId, Instant now) {
        var slots = takeSlots(properties.batchSize());
        if (slots == 0) {
            // every slot is preparing a dial; the first one done wakes the loop
            starved.set(true);
            return CallClaims.Result.none(null);
        }
        CallClaims.Result result;
        try {
            result = claims.claim(trunkId, node, slots);
        } catch (RuntimeException e) {
            returnUnused(slots);
            throw e;
        }
        if (result.notBefore() != null) {
            claimableAt.put(trunkId, new Paced(now, result.notBefore()));
        } else {
            claimableAt.remove(trunkId);
        }
        // slots a claim did not use change nothing for anyone: giving them back wakes nobody, or a
        // pass that claimed nothing would wake itself and spin
        returnUnused(slots - result.claimed().size());
        for (var call : result.claimed()) {
            dials.execute(() -> dial(call, true));
        }
        return result;
    }

    /** Dials a claimed call holding one preparation slot, freed once the dial is prepared or given up. */
    private void dial(Call call, boolean paced) {
        var held = new AtomicBoolean(true);
        Runnable prepared = () -> {
            if (held.getAndSet(false)) {
                slotFreed();
            }
        };
        try {
            dialer.dial(call, node, paced, prepared).ifPresent(this::retryAt);
        } finally {
            prepared.run();
        }
    }

    /** Until when this node knows that no claim on the trunk can succeed; null if it may now. */
    private @org.jspecify.annotations.Nullable Instant pacedUntil(UUID trunkId, Instant now) {
        var paced = claimableAt.get(trunkId);
        // a clock set back (tests reset theirs) makes what was seen before it say nothing
        return paced != null && paced.until().isAfter(now) && !paced.seenAt().isAfter(now) ? paced.until() : null;
    }

    /** A call this node put back in the queue is due again at {@code due}: the loop looks then. */
    private void retryAt(Instant due) {
        retryDue.accumulateAndGet(
                due, (current, candidate) -> current == null || candidate.isBefore(current) ? candidate : current);
        wake();
    }

    private int takeSlots(int most) {
        var taken = 0;
        while (taken < most && preparing.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    private void returnUnused(int count) {
        if (count > 0) {
            preparing.release(count);
        }
    }

    /** A dial is prepared: its slot is free, and a claim that went without one can now be made. */
    private void slotFreed() {
        preparing.release();
        if (starved.getAndSet(false)) {
            wake();
        }
    }

    @Override
    public void start() {
        if (!properties.enabled() || loop.isRunning()) {
            return;
        }
        loop.start();
        log.info("Dispatcher {} started", node);
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    private static String defaultNodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-"
                + UUID.randomUUID().toString().substring(0, 6);
    }
}
