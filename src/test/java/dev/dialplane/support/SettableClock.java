package dev.dialplane.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application's clock in integration tests: real time (so timeouts, JWTs and signature checks
 * behave as in production) plus an offset a test can move forward, to make retries and expiries due
 * without waiting for them. {@link LiveKitIntegrationTest} resets it before every test.
 */
public final class SettableClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public SettableClock(Clock base) {
        this.base = base;
    }

    public void advance(Duration duration) {
        offset.accumulateAndGet(duration, Duration::plus);
    }

    public void reset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the application clock is UTC");
    }
}
