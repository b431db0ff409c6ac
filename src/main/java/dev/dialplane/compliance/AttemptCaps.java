package dev.dialplane.compliance;

import dev.dialplane.common.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * How many calls of an organization to one number may reach dialing within 24 hours and within 7
 * days; a null count is no cap over that period.
 *
 * <p>Counted when a call is placed: every call to the number that reached dialing within the
 * period, and every call still waiting to be dialed (scheduled or queued), which counts from when
 * it is due. Counting the waiting ones is what keeps a burst of requests within the cap however
 * long their calls then wait in the queue.
 */
public record AttemptCaps(
        @Nullable Integer per24h, @Nullable Integer per7d) {

    public static final String ATTEMPT_LIMIT_REACHED = "ATTEMPT_LIMIT_REACHED";
    public static final Duration DAY = Duration.ofHours(24);
    public static final Duration WEEK = Duration.ofDays(7);

    /** How far back attempts can matter: the longest period. */
    public static Duration lookBack() {
        return WEEK;
    }

    /**
     * When one more attempt is allowed, given when each counted attempt was (or is due to be) made;
     * empty when one is allowed at {@code now}. Over a cap of n, the n-th most recent attempt has to
     * leave the period first.
     */
    public Optional<Instant> nextAllowed(List<Instant> attempts, Instant now) {
        var latest = attempts.stream().sorted(Comparator.reverseOrder()).toList();
        Instant next = null;
        for (var cap : List.of(new Cap(per24h, DAY), new Cap(per7d, WEEK))) {
            if (cap.max() == null) {
                continue;
            }
            var inPeriod = latest.stream()
                    .filter(at -> at.isAfter(now.minus(cap.period())))
                    .toList();
            if (inPeriod.size() >= cap.max()) {
                var allowedAt = wholeSecondUp(inPeriod.get(cap.max() - 1).plus(cap.period()));
                next = next == null || allowedAt.isAfter(next) ? allowedAt : next;
            }
        }
        return Optional.ofNullable(next);
    }

    /** Clients read whole seconds (Retry-After): the next second at or after {@code at}. */
    private static Instant wholeSecondUp(Instant at) {
        var second = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return second.equals(at) ? at : second.plusSeconds(1);
    }

    private record Cap(@Nullable Integer max, Duration period) {}

    /** The 429 a call over a cap answers with; Retry-After says when the next attempt is allowed. */
    public ApiException refusal(String toNumber, int counted, Instant nextAllowedAt, Instant now) {
        var caps = new java.util.ArrayList<String>();
        if (per24h != null) {
            caps.add(per24h + " per 24 h");
        }
        if (per7d != null) {
            caps.add(per7d + " per 7 days");
        }
        return new ApiException(
                        HttpStatus.TOO_MANY_REQUESTS,
                        ATTEMPT_LIMIT_REACHED,
                        toNumber + " has been called (or has calls waiting) " + counted
                                + " times recently; your organization's cap is " + String.join(" and ", caps)
                                + " (max_attempts_per_number). The next call to it is allowed at " + nextAllowedAt
                                + ".",
                        List.of(),
                        Map.of("next_allowed_at", nextAllowedAt.toString()))
                .retryAfter(Duration.between(now, nextAllowedAt));
    }
}
