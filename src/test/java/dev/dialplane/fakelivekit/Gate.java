package dev.dialplane.fakelivekit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the calls of one RPC until a test opens it, as a LiveKit slow to answer would, and counts
 * how many of them the fake was serving at once (while held and after opening). See
 * {@link FakeLiveKit#hold}.
 */
public final class Gate {

    private final String rpc;
    private final String marker;
    private final CountDownLatch opened = new CountDownLatch(1);
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    Gate(String rpc, String marker) {
        this.rpc = rpc;
        this.marker = marker;
    }

    String marker() {
        return marker;
    }

    void enter() throws InterruptedException {
        mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
        synchronized (this) {
            notifyAll();
        }
        opened.await();
    }

    void leave() {
        inside.decrementAndGet();
        passed.incrementAndGet();
    }

    /** Lets every held call and every later one through. */
    public void open() {
        opened.countDown();
    }

    /** The most calls of the RPC the fake served at one time. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    /** Calls of the RPC answered so far. */
    public int passed() {
        return passed.get();
    }

    /** Waits until {@code count} calls are held at the gate. */
    public void awaitInside(int count, Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (inside.get() < count) {
                var left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(
                            rpc + ": " + inside.get() + " calls at the gate after " + timeout + ", not " + count);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }
}
