package dev.dialplane.studio;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Failed Studio sign-ins, counted per account (email) and per client address: {@value
 * #MAX_FAILURES} failures within {@link #LOCK} lock that account or address out for {@link #LOCK}
 * from the last one. Counted in memory on each node: a cluster of N nodes allows N times as many
 * guesses, which is still a handful per quarter hour, and no table is written on every failed
 * sign-in. A success clears its account's count, never its address's, so signing in to one's own
 * account does not reset an address guessing at others.
 */
@Component
public class SignInThrottle {

    public static final int MAX_FAILURES = 5;
    public static final Duration LOCK = Duration.ofMinutes(15);
    /** Past this many tracked keys, expired ones are swept before adding another. */
    private static final int SWEEP_ABOVE = 10_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Until when this account or address is locked out, if it is now. */
    public Optional<Instant> lockedUntil(String email, @Nullable String address) {
        var now = clock.instant();
        var account = lockOf(accountKey(email), now);
        var client = address == null ? null : lockOf(addressKey(address), now);
        if (account == null) {
            return Optional.ofNullable(client);
        }
        return Optional.of(client == null || account.isAfter(client) ? account : client);
    }

    public void failed(String email, @Nullable String address) {
        var now = clock.instant();
        if (failures.size() > SWEEP_ABOVE) {
            failures.values().removeIf(f -> f.expired(now));
        }
        failures.compute(accountKey(email), (key, previous) -> Failures.after(previous, now));
        if (address != null) {
            failures.compute(addressKey(address), (key, previous) -> Failures.after(previous, now));
        }
    }

    public void succeeded(String email) {
        failures.remove(accountKey(email));
    }

    private @Nullable Instant lockOf(String key, Instant now) {
        var entry = failures.get(key);
        if (entry == null || entry.count() < MAX_FAILURES) {
            return null;
        }
        var until = entry.last().plus(LOCK);
        return until.isAfter(now) ? until : null;
    }

    private static String accountKey(String email) {
        return "account:" + email.strip().toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    /** Failures, each within {@link #LOCK} of the one before; a quiet {@link #LOCK} starts the count over. */
    private record Failures(int count, Instant first, Instant last) {

        static Failures after(@Nullable Failures previous, Instant now) {
            if (previous == null || previous.expired(now)) {
                return new Failures(1, now, now);
            }
            return new Failures(previous.count() + 1, previous.first(), now);
        }

        boolean expired(Instant now) {
            return !last.plus(LOCK).isAfter(now);
        }
    }
}
