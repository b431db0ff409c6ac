package dev.dialplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window arithmetic alone: allowed hours, the next allowed start across days, weekends and DST. */
class CallingWindowTests {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private static Instant at(String localDateTime, ZoneId zone) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    @Test
    void startIsInclusiveAndEndExclusive() {
        var window = CallingWindow.DEFAULT;
        assertThat(window.allows(at("2027-01-12T07:59:59.999", NEW_YORK), List.of(NEW_YORK)))
                .isFalse();
        assertThat(window.allows(at("2027-01-12T08:00:00", NEW_YORK), List.of(NEW_YORK)))
                .isTrue();
        assertThat(window.allows(at("2027-01-12T20:59:59.999", NEW_YORK), List.of(NEW_YORK)))
                .isTrue();
        assertThat(window.allows(at("2027-01-12T21:00:00", NEW_YORK), List.of(NEW_YORK)))
                .isFalse();
    }

    @Test
    void nextAllowedIsTodaysStartBeforeIt_andTomorrowsAfterTheEnd() {
        var window = CallingWindow.DEFAULT;
        assertThat(window.nextAllowed(at("2027-01-12T03:00", NEW_YORK), List.of(NEW_YORK)))
                .contains(at("2027-01-12T08:00", NEW_YORK));
        assertThat(window.nextAllowed(at("2027-01-12T21:00", NEW_YORK), List.of(NEW_YORK)))
                .contains(at("2027-01-13T08:00", NEW_YORK));
        var now = at("2027-01-12T12:00", NEW_YORK);
        assertThat(window.nextAllowed(now, List.of(NEW_YORK))).contains(now);
    }

    @Test
    void skipsDaysOutsideTheWindow() {
        var weekdays = new CallingWindow(
                LocalTime.of(9, 0),
                LocalTime.of(17, 0),
                EnumSet.of(
                        DayOfWeek.MONDAY,
                        DayOfWeek.TUESDAY,
                        DayOfWeek.WEDNESDAY,
                        DayOfWeek.THURSDAY,
                        DayOfWeek.FRIDAY));
        // Friday 2027-01-15 after hours → Monday 2027-01-18 09:00
        assertThat(weekdays.nextAllowed(at("2027-01-15T17:00", NEW_YORK), List.of(NEW_YORK)))
                .contains(at("2027-01-18T09:00", NEW_YORK));
        assertThat(weekdays.allows(at("2027-01-16T12:00", NEW_YORK), List.of(NEW_YORK)))
                .isFalse();
    }

    @Test
    void followsDaylightSavingChanges() {
        var window = CallingWindow.DEFAULT;
        // US: clocks go forward on Sunday 2027-03-14; 08:00 EDT is 12:00Z, the day before 08:00 EST was 13:00Z
        assertThat(window.nextAllowed(at("2027-03-13T21:00", NEW_YORK), List.of(NEW_YORK)))
                .contains(Instant.parse("2027-03-14T12:00:00Z"));
        // EU: clocks go forward on Sunday 2027-03-28; 08:00 BST is 07:00Z
        assertThat(window.nextAllowed(at("2027-03-27T21:00", LONDON), List.of(LONDON)))
                .contains(Instant.parse("2027-03-28T07:00:00Z"));
        // back on Sunday 2027-11-07 in the US: 08:00 EST is 13:00Z
        assertThat(window.nextAllowed(Instant.parse("2027-11-07T02:00:00Z"), List.of(NEW_YORK)))
                .contains(Instant.parse("2027-11-07T13:00:00Z"));
    }

    @Test
    void aStartInsideTheDstGapOpensWhenTheWallClockGetsThere() {
        var early = new CallingWindow(LocalTime.of(2, 30), LocalTime.of(5, 0), EnumSet.allOf(DayOfWeek.class));
        // 02:30 does not exist in New York on 2027-03-14: the window opens at 03:00 EDT (07:00Z)
        assertThat(early.nextAllowed(at("2027-03-14T01:00", NEW_YORK), List.of(NEW_YORK)))
                .contains(Instant.parse("2027-03-14T07:00:00Z"));
    }

    @Test
    void severalZonesMustAllBeInsideTheWindow() {
        var window = CallingWindow.DEFAULT;
        var zones = List.of(NEW_YORK, LONDON);
        // 14:00 in New York is 19:00 in London: allowed in both
        assertThat(window.allows(at("2027-01-12T14:00", NEW_YORK), zones)).isTrue();
        // 17:00 in New York is 22:00 in London: refused; the next time both allow is 08:00 New York (13:00 London)
        assertThat(window.allows(at("2027-01-12T17:00", NEW_YORK), zones)).isFalse();
        assertThat(window.nextAllowed(at("2027-01-12T17:00", NEW_YORK), zones))
                .contains(at("2027-01-13T08:00", NEW_YORK));
    }

    @Test
    void zonesWhoseWindowsNeverOverlapHaveNoNextStart() {
        var hour = new CallingWindow(LocalTime.of(8, 0), LocalTime.of(9, 0), EnumSet.allOf(DayOfWeek.class));
        assertThat(hour.nextAllowed(at("2027-01-12T12:00", NEW_YORK), List.of(NEW_YORK, TOKYO)))
                .isEmpty();
    }

    @Test
    void aUsTollFreeNumberIsInEveryZoneOfTheNumberingPlan() {
        var zones = CalleeTimeZones.of("+18005550123");
        assertThat(zones).contains(NEW_YORK, ZoneId.of("Pacific/Honolulu"), ZoneId.of("Pacific/Guam"));
        // noon in New York is 03:00 in Guam; all zones allow it first at 08:00 in Guam (22:00Z)
        var noon = Instant.parse("2027-01-12T17:00:00Z");
        assertThat(CallingWindow.DEFAULT.nextAllowed(noon, zones)).contains(Instant.parse("2027-01-12T22:00:00Z"));
    }

    @Test
    void zonesFromTheNumber() {
        assertThat(CalleeTimeZones.of("+12125550123")).containsExactly(NEW_YORK);
        assertThat(CalleeTimeZones.of("+442079460000")).containsExactly(LONDON);
        assertThat(CalleeTimeZones.of("+912223456789")).containsExactly(ZoneId.of("Asia/Calcutta"));
        assertThat(CalleeTimeZones.of("+999123")).isEmpty();
    }

    @Test
    void twoWindowsOpenOnlyWhereTheyOverlap() {
        var evenings = new CallingWindow(LocalTime.of(20, 0), LocalTime.of(22, 0), EnumSet.allOf(DayOfWeek.class));
        var zones = List.of(NEW_YORK);
        // 08:00–21:00 and 20:00–22:00 overlap from 20:00 to 21:00
        assertThat(CallingWindows.bothOpen(CallingWindow.DEFAULT, evenings, zones, at("2027-01-12T09:00", NEW_YORK)))
                .isEqualTo(at("2027-01-12T20:00", NEW_YORK));
        assertThat(CallingWindows.bothOpen(CallingWindow.DEFAULT, evenings, zones, at("2027-01-12T21:30", NEW_YORK)))
                .isEqualTo(at("2027-01-13T20:00", NEW_YORK));
        var inside = at("2027-01-12T20:30", NEW_YORK);
        assertThat(CallingWindows.bothOpen(CallingWindow.DEFAULT, evenings, zones, inside))
                .isEqualTo(inside);
        // weekdays only on one side: Saturday evening waits for Monday's
        var weekdays = new CallingWindow(
                LocalTime.of(8, 0), LocalTime.of(21, 0), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        assertThat(CallingWindows.bothOpen(weekdays, evenings, zones, at("2027-01-16T20:30", NEW_YORK)))
                .isEqualTo(at("2027-01-18T20:00", NEW_YORK));
        // windows that never overlap have no start
        var mornings = new CallingWindow(LocalTime.of(6, 0), LocalTime.of(8, 0), EnumSet.allOf(DayOfWeek.class));
        assertThat(CallingWindows.bothOpen(CallingWindow.DEFAULT, mornings, zones, inside))
                .isNull();
        assertThat(CallingWindows.bothOpen(CallingWindow.DEFAULT, evenings, List.of(), inside))
                .isNull();
    }
}
