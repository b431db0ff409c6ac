package dev.dialplane.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.dialplane.calls.EndReason;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Which ended calls a campaign places again, and after how long. The attempts themselves are the
 * campaign's ({@code retry_failed} and {@code retry_attempts}, or TalkifAI's {@code maxAttempts}).
 * Invalid numbers, declined calls, carrier errors and do-not-call are never retried: they are not
 * outcomes a policy can name.
 *
 * @param on the outcomes retried
 * @param delays the wait after each attempt ended before the next: the n-th delay after the n-th
 *     attempt, the last one repeating
 */
public record RetryPolicy(Set<Outcome> on, List<Duration> delays) {

    /** TalkifAI's retry guide: busy, unanswered and carrier-full calls; the 2nd attempt after 5 minutes, later ones after 30. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(
            EnumSet.of(Outcome.BUSY, Outcome.NO_ANSWER, Outcome.CARRIER_CAPACITY),
            List.of(Duration.ofMinutes(5), Duration.ofMinutes(30)));

    public static final int MAX_DELAYS = 10;
    public static final Duration LONGEST_DELAY = Duration.ofDays(7);

    public RetryPolicy {
        on = Set.copyOf(on);
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry policy has at least one delay");
        }
        delays = List.copyOf(delays);
    }

    /** An outcome a campaign may retry. */
    public enum Outcome {
        /** The callee's line was busy. */
        BUSY,
        /** Nobody answered: no answer, or the ringing timeout passed. */
        NO_ANSWER,
        /** The carrier or the queue had no room for the call. */
        CARRIER_CAPACITY,
        /** The call was answered by voicemail, as the agent reported it ({@code answered_by}). */
        MACHINE_VOICEMAIL;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The outcome of this wire name, or null. */
        public static @Nullable Outcome parse(String name) {
            for (var outcome : values()) {
                if (outcome.toString().equals(name)) {
                    return outcome;
                }
            }
            return null;
        }

        /** The retriable outcome an unanswered call's end reason is, if any. */
        static Optional<Outcome> of(@Nullable EndReason reason) {
            if (reason == null) {
                return Optional.empty();
            }
            return switch (reason) {
                case BUSY -> Optional.of(BUSY);
                case NO_ANSWER, ANSWER_TIMEOUT -> Optional.of(NO_ANSWER);
                case CARRIER_CAPACITY, QUEUE_TIMEOUT -> Optional.of(CARRIER_CAPACITY);
                default -> Optional.empty();
            };
        }
    }

    /** The wait before the next attempt once {@code attempts} attempts have ended. */
    public Duration delayAfter(int attempts) {
        return delays.get(Math.max(0, Math.min(attempts, delays.size()) - 1));
    }

    boolean retries(Outcome outcome) {
        return on.contains(outcome);
    }

    /** As stored: the outcomes comma-separated. */
    String onText() {
        return on.stream().sorted().map(Outcome::toString).collect(Collectors.joining(","));
    }

    /** As stored: the delays in seconds, comma-separated. */
    String delaysText() {
        return delays.stream().map(d -> Long.toString(d.toSeconds())).collect(Collectors.joining(","));
    }

    static RetryPolicy fromDatabase(@Nullable String on, @Nullable String delays) {
        if (on == null || delays == null) {
            return DEFAULT;
        }
        var outcomes = EnumSet.noneOf(Outcome.class);
        for (var name : on.split(",")) {
            var outcome = name.isBlank() ? null : Outcome.parse(name);
            if (outcome != null) {
                outcomes.add(outcome);
            }
        }
        var waits = java.util.Arrays.stream(delays.split(","))
                .map(s -> Duration.ofSeconds(Long.parseLong(s.strip())))
                .toList();
        return new RetryPolicy(outcomes, waits);
    }
}
