package dev.dialplane.compliance;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The hours a callee may be called, in the callee's own local time: from {@code start} (inclusive)
 * to {@code end} (exclusive) on each of {@code days}. Overnight windows are not allowed
 * ({@code start} is before {@code end}), so a day's window lies within that local day.
 */
public record CallingWindow(LocalTime start, LocalTime end, Set<DayOfWeek> days) {

    /** The default of a new organization: 08:00 to 21:00 every day (the TCPA's hours). */
    public static final CallingWindow DEFAULT =
            new CallingWindow(LocalTime.of(8, 0), LocalTime.of(21, 0), EnumSet.allOf(DayOfWeek.class));

    /** How far ahead the next allowed start is searched: a week plus a day covers every weekly pattern. */
    private static final int SEARCH_DAYS = 8;

    public CallingWindow {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("a calling window starts before it ends");
        }
        if (days.isEmpty()) {
            throw new IllegalArgumentException("a calling window has at least one day");
        }
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    /** A day as the API and the database name it: {@code mon} … {@code sun}. */
    public static String dayName(DayOfWeek day) {
        return day.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT);
    }

    /** The day of this name ({@code mon} … {@code sun}), or null. */
    public static @org.jspecify.annotations.Nullable DayOfWeek parseDay(String name) {
        for (var day : DayOfWeek.values()) {
            if (dayName(day).equals(name)) {
                return day;
            }
        }
        return null;
    }

    /** The window's days by name, Monday first. */
    public List<String> dayNames() {
        return EnumSet.copyOf(days).stream().map(CallingWindow::dayName).toList();
    }

    /** The window's days as stored: their names comma-separated, Monday first. */
    public String daysText() {
        return String.join(",", dayNames());
    }

    /** The days of a {@link #daysText()}; unknown names are passed over. */
    public static EnumSet<DayOfWeek> daysFromText(String text) {
        var days = EnumSet.noneOf(DayOfWeek.class);
        for (var name : text.split(",")) {
            var day = parseDay(name);
            if (day != null) {
                days.add(day);
            }
        }
        return days;
    }

    /** Whether a call may be made at this moment of the callee's local time. */
    public boolean allows(ZonedDateTime local) {
        var time = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !time.isBefore(start) && time.isBefore(end);
    }

    /** Whether the window holds at {@code at} in every one of {@code zones}. */
    public boolean allows(Instant at, List<ZoneId> zones) {
        return zones.stream().allMatch(zone -> allows(at.atZone(zone)));
    }

    /**
     * The first instant at or after {@code from} when the window holds in every zone; empty when the
     * zones' windows never overlap within the next week (too far apart for this window).
     */
    public Optional<Instant> nextAllowed(Instant from, List<ZoneId> zones) {
        var limit = from.plus(java.time.Duration.ofDays(SEARCH_DAYS));
        var at = from;
        // every instant skipped is outside some zone's window, so the first fixpoint is the earliest
        while (!at.isAfter(limit)) {
            var later = at;
            for (var zone : zones) {
                var next = nextStart(at, zone);
                if (next.isEmpty()) {
                    return Optional.empty();
                }
                if (next.get().isAfter(later)) {
                    later = next.get();
                }
            }
            if (later.equals(at)) {
                return Optional.of(at);
            }
            at = later;
        }
        return Optional.empty();
    }

    /** The first instant at or after {@code from} when the window holds in {@code zone}. */
    Optional<Instant> nextStart(Instant from, ZoneId zone) {
        var local = from.atZone(zone);
        if (allows(local)) {
            return Optional.of(from);
        }
        for (int day = 0; day <= SEARCH_DAYS; day++) {
            var date = local.toLocalDate().plusDays(day);
            if (!days.contains(date.getDayOfWeek())) {
                continue;
            }
            var localStart = date.atTime(start);
            var rules = zone.getRules();
            // a start inside a DST gap never shows on the wall clock: the window opens as the clocks
            // jump past it; a start in the overlap opens at its first occurrence
            var opening = rules.getValidOffsets(localStart).isEmpty()
                    ? rules.getTransition(localStart).getInstant()
                    : ZonedDateTime.of(localStart, zone).toInstant();
            if (!opening.isBefore(from) && allows(opening.atZone(zone))) {
                return Optional.of(opening);
            }
        }
        return Optional.empty();
    }
}
