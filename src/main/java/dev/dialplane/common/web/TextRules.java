package dev.dialplane.common.web;

import jakarta.validation.ConstraintValidatorContext;
import org.jspecify.annotations.Nullable;

/** The character rules of {@link SingleLine} and {@link MultiLine}, with messages that say what and where. */
final class TextRules {

    private TextRules() {}

    /** What is wrong with {@code text}, or {@code null}. The message never repeats the client's text. */
    static @Nullable String problem(String text, boolean multiLine, boolean readable) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int position = i + 1;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain an unpaired surrogate (" + code(c) + " at character " + position + ")";
            }
            if (Character.isLowSurrogate(c)) {
                return "must not contain an unpaired surrogate (" + code(c) + " at character " + position + ")";
            }
            if (c == 0) {
                return "must not contain a NUL character (U+0000 at character " + position + ")";
            }
            if (!multiLine && Character.isISOControl(c)) {
                return "must be a single line without control characters (" + code(c) + " at character " + position
                        + ")";
            }
            if (readable && ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069'))) {
                return "must not contain bidirectional override characters (" + code(c) + " at character " + position
                        + ")";
            }
        }
        return null;
    }

    static boolean report(ConstraintValidatorContext context, String problem) {
        context.disableDefaultConstraintViolation();
        // the message holds only our own words and code points, nothing to interpolate
        context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
        return false;
    }

    private static String code(char c) {
        return String.format("U+%04X", (int) c);
    }
}
