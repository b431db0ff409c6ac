package dev.dialplane.compliance;

import dev.dialplane.common.FieldViolation;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A calling window as the API reads and shows it ({@code {"start":"08:00","end":"21:00","days":["mon",…]}}):
 * the organization's policy and a campaign's narrower window take the same form and the same rules.
 * Bean Validation checks each field; {@link #check} what spans fields, naming them under {@code prefix}.
 */
public record CallingWindowForm(
        @NotNull(message = "is required") @Pattern(regexp = CallingWindowForm.HH_MM, message = CallingWindowForm.HH_MM_MESSAGE) String start,

        @NotNull(message = "is required") @Pattern(regexp = CallingWindowForm.HH_MM, message = CallingWindowForm.HH_MM_MESSAGE) String end,

        @NotNull(message = "is required") List<String> days) {

    static final String HH_MM = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
    static final String HH_MM_MESSAGE = "must be a time HH:MM between 00:00 and 23:59";

    public static CallingWindowForm of(CallingWindow window) {
        return new CallingWindowForm(window.start().toString(), window.end().toString(), window.dayNames());
    }

    /** What spans fields: the end after the start, each day known and named once. */
    public void check(String prefix, List<FieldViolation> violations) {
        if (start != null && end != null && start.matches(HH_MM) && end.matches(HH_MM) && start.compareTo(end) >= 0) {
            violations.add(new FieldViolation(
                    prefix + ".end",
                    "must be after start (" + start
                            + "): a window lies within one local day; overnight windows are not supported"));
        }
        if (days != null) {
            if (days.isEmpty()) {
                violations.add(new FieldViolation(prefix + ".days", "must name at least one day"));
            }
            var seen = new HashSet<String>();
            for (var day : days) {
                if (day == null || CallingWindow.parseDay(day) == null) {
                    violations.add(new FieldViolation(
                            prefix + ".days", "must be among mon, tue, wed, thu, fri, sat, sun (got '" + day + "')"));
                } else if (!seen.add(day)) {
                    violations.add(new FieldViolation(prefix + ".days", "names " + day + " twice"));
                }
            }
        }
    }

    /** The window; call only once the form has no violations. */
    public CallingWindow toWindow() {
        var set = EnumSet.noneOf(DayOfWeek.class);
        for (var day : days) {
            set.add(Objects.requireNonNull(CallingWindow.parseDay(day)));
        }
        return new CallingWindow(LocalTime.parse(start), LocalTime.parse(end), set);
    }
}
