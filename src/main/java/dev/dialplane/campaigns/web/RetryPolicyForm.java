package dev.dialplane.campaigns.web;

import dev.dialplane.campaigns.RetryPolicy;
import dev.dialplane.common.FieldViolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A campaign's retry policy as {@code POST /campaigns} takes it: {@code on}, the outcomes to call
 * again (default busy, no_answer, carrier_capacity), and {@code delays_minutes}, the wait after each
 * attempt (default [5, 30], the last repeating).
 */
record RetryPolicyForm(
        @Nullable List<@Nullable String> on, @Nullable List<@Nullable Integer> delaysMinutes) {

    private static final long LONGEST_MINUTES = RetryPolicy.LONGEST_DELAY.toMinutes();

    void check(String prefix, List<FieldViolation> violations) {
        if (on != null) {
            for (var name : on) {
                if (name == null || RetryPolicy.Outcome.parse(name) == null) {
                    violations.add(new FieldViolation(
                            prefix + ".on",
                            "must list outcomes among busy, no_answer, carrier_capacity and machine_voicemail (got '"
                                    + name + "'); invalid numbers, declined calls, carrier errors and do-not-call are"
                                    + " never retried"));
                }
            }
        }
        if (delaysMinutes != null) {
            if (delaysMinutes.isEmpty() || delaysMinutes.size() > RetryPolicy.MAX_DELAYS) {
                violations.add(new FieldViolation(
                        prefix + ".delays_minutes", "must have 1 to " + RetryPolicy.MAX_DELAYS + " delays"));
            }
            for (var minutes : delaysMinutes) {
                if (minutes == null || minutes < 1 || minutes > LONGEST_MINUTES) {
                    violations.add(new FieldViolation(
                            prefix + ".delays_minutes",
                            "each delay must be between 1 and " + LONGEST_MINUTES + " minutes (a week); got "
                                    + minutes));
                }
            }
        }
    }

    /** The policy; call only once the form has no violations. Absent parts take the defaults. */
    RetryPolicy toPolicy() {
        var outcomes = on == null ? RetryPolicy.DEFAULT.on() : parsed(on);
        var delays = delaysMinutes == null
                ? RetryPolicy.DEFAULT.delays()
                : delaysMinutes.stream()
                        .map(m -> Duration.ofMinutes(java.util.Objects.requireNonNull(m)))
                        .toList();
        return new RetryPolicy(outcomes, delays);
    }

    private static EnumSet<RetryPolicy.Outcome> parsed(List<@Nullable String> names) {
        var outcomes = EnumSet.noneOf(RetryPolicy.Outcome.class);
        var list = new ArrayList<RetryPolicy.Outcome>();
        for (var name : names) {
            list.add(java.util.Objects.requireNonNull(
                    RetryPolicy.Outcome.parse(java.util.Objects.requireNonNull(name))));
        }
        outcomes.addAll(list);
        return outcomes;
    }
}
