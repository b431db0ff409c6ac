package dev.dialplane.compliance;

import dev.dialplane.common.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Whether an organization's calling window lets a callee be called now: checked when a call is
 * placed and again by the dispatcher right before it dials, on every node.
 */
@Service
public class CallingWindows {

    public static final String OUTSIDE_CALLING_WINDOW = "OUTSIDE_CALLING_WINDOW";
    public static final String CALLEE_TIMEZONE_UNKNOWN = "CALLEE_TIMEZONE_UNKNOWN";
    /**
     * When a queued call nobody can place in time (no zone known, or zones whose windows never
     * overlap) is looked at again: the policy or the window may change meanwhile.
     */
    public static final Duration RECHECK = Duration.ofMinutes(15);

    private final CompliancePolicyService policies;

    CallingWindows(CompliancePolicyService policies) {
        this.policies = policies;
    }

    /**
     * The verdict for a callee in {@code zones} at {@code now}.
     *
     * @param window the organization's window, null when it has none (every call is allowed)
     * @param nextAllowedAt when a refused call could be made, null when allowed or never
     */
    public record Verdict(
            List<ZoneId> zones,
            @Nullable CallingWindow window,
            boolean allowed,
            @Nullable Instant nextAllowedAt) {

        /** When to look at a refused call again. */
        public Instant recheckAt(Instant now) {
            return nextAllowedAt == null ? now.plus(RECHECK) : nextAllowedAt;
        }
    }

    public Verdict check(UUID organizationId, List<ZoneId> zones, Instant now) {
        return check(policies.policy(organizationId).callingWindow(), zones, now);
    }

    /**
     * The verdict when the organization's window and a narrower one (a campaign's) must both hold:
     * a callee may be called only where the two overlap, and the next allowed start is the first
     * instant inside both.
     */
    public Verdict check(UUID organizationId, List<ZoneId> zones, Instant now, @Nullable CallingWindow narrower) {
        var verdict = check(organizationId, zones, now);
        if (narrower == null) {
            return verdict;
        }
        var own = check(narrower, zones, now);
        if (verdict.allowed() && own.allowed()) {
            return verdict;
        }
        var organization = verdict.window();
        return new Verdict(
                zones,
                organization == null ? narrower : organization,
                false,
                organization == null ? own.nextAllowedAt() : bothOpen(organization, narrower, zones, now));
    }

    /**
     * The first instant from {@code from} inside both windows in every zone: each window's next
     * start in turn until neither moves it (each step skips only instants outside one of them).
     */
    static @Nullable Instant bothOpen(CallingWindow first, CallingWindow second, List<ZoneId> zones, Instant from) {
        if (zones.isEmpty()) {
            return null;
        }
        var limit = from.plus(Duration.ofDays(15));
        var at = from;
        while (!at.isAfter(limit)) {
            var a = first.nextAllowed(at, zones);
            if (a.isEmpty()) {
                return null;
            }
            var b = second.nextAllowed(a.get(), zones);
            if (b.isEmpty()) {
                return null;
            }
            if (b.get().equals(a.get())) {
                return a.get();
            }
            at = b.get();
        }
        return null;
    }

    public static Verdict check(@Nullable CallingWindow window, List<ZoneId> zones, Instant now) {
        if (window == null) {
            return new Verdict(zones, null, true, null);
        }
        if (zones.isEmpty()) {
            return new Verdict(zones, window, false, null);
        }
        if (window.allows(now, zones)) {
            return new Verdict(zones, window, true, null);
        }
        return new Verdict(zones, window, false, window.nextAllowed(now, zones).orElse(null));
    }

    /** The callee's local time in its first zone, to the second, with its offset (ISO-8601). */
    public static @Nullable String localTime(List<ZoneId> zones, Instant at) {
        return zones.isEmpty()
                ? null
                : java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        at.atZone(zones.getFirst()).truncatedTo(ChronoUnit.SECONDS));
    }

    /** The 422 a refused call answers with, naming the callee's local time, its zones and the next start. */
    public static ApiException refusal(Verdict verdict, String toNumber, Instant now) {
        var window = java.util.Objects.requireNonNull(verdict.window(), "a refusal has a window");
        var hours = window.start() + "–" + window.end() + " on " + String.join(", ", window.dayNames());
        if (verdict.zones().isEmpty()) {
            return new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    CALLEE_TIMEZONE_UNKNOWN,
                    "The time zone of " + toNumber + " cannot be derived from the number, so the calling window ("
                            + hours
                            + ") cannot be checked; pass callee_timezone (an IANA id such as America/Chicago).");
        }
        var local = verdict.zones().stream()
                .map(zone -> now.atZone(zone).truncatedTo(ChronoUnit.SECONDS).toLocalDateTime() + " " + zone)
                .collect(Collectors.joining(", "));
        var zones = verdict.zones().size() == 1 ? "its time zone" : "every one of its time zones";
        if (verdict.nextAllowedAt() == null) {
            return new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    OUTSIDE_CALLING_WINDOW,
                    "It is " + local + " for " + toNumber + ": the calling window (" + hours
                            + ") never holds in all of its " + verdict.zones().size()
                            + " possible time zones at once; pass callee_timezone if you know where the callee is.");
        }
        var next = verdict.nextAllowedAt();
        return new ApiException(
                HttpStatus.UNPROCESSABLE_CONTENT,
                OUTSIDE_CALLING_WINDOW,
                "It is " + local + " for " + toNumber + ", outside the calling window (" + hours + " in " + zones
                        + "); the next allowed start is " + next + ".",
                List.of(),
                Map.of("next_allowed_at", next.toString(), "callee_timezones", ids(verdict.zones())));
    }

    public static List<String> ids(List<ZoneId> zones) {
        return zones.stream().map(ZoneId::getId).toList();
    }
}
