package dev.dialplane.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * A node's background loop on a virtual thread: it takes a turn, then sleeps until the turn says
 * the next is due or until {@link #wake} is called, whichever comes first. No loop spins while it
 * waits: an idle node sleeps its whole interval unless something that can change the answer wakes it.
 * A failed turn is logged and the next is taken after {@code afterFailure}.
 */
public final class WakeableLoop {

    /** One turn; returns when the next is due (now or earlier: at once). */
    @FunctionalInterface
    public interface Turn {
        Instant take(Instant now);
    }

    private final String name;
    private final Clock clock;
    private final Duration afterFailure;
    private final Duration longestWait;
    private final Logger log;
    private final Turn turn;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private volatile @Nullable Thread thread;

    /**
     * @param longestWait the longest the loop sleeps whatever its turn said (a clock set back, as
     *     tests do, must not put the next turn off until the clock catches up)
     */
    public WakeableLoop(String name, Clock clock, Duration afterFailure, Duration longestWait, Logger log, Turn turn) {
        this.name = name;
        this.clock = clock;
        this.afterFailure = afterFailure;
        this.longestWait = longestWait;
        this.log = log;
        this.turn = turn;
    }

    /** Makes the loop take its next turn soon; wake-ups while it is busy count as one. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /** Whether a wake-up is waiting to be taken. */
    public boolean wakePending() {
        return wakeUp.availablePermits() > 0;
    }

    /** Forgets the wake-ups so far: the turn about to be taken answers them. */
    public void drainWakeUps() {
        wakeUp.drainPermits();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name(name).start(this::run);
    }

    public void stop() {
        running = false;
        var current = thread;
        if (current != null) {
            current.interrupt();
        }
    }

    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try {
                var next = turn.take(clock.instant());
                var wait = Duration.between(clock.instant(), next);
                if (wait.compareTo(longestWait) > 0) {
                    wait = longestWait;
                }
                if (wait.isPositive()) {
                    wakeUp.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
                    drainWakeUps();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("{}: turn failed; retrying in {}", name, afterFailure, e);
                try {
                    Thread.sleep(afterFailure);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
