package dev.dialplane.common;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.regex.Pattern;

/**
 * Strict E.164 validation. The textual shape is checked first so the message can say exactly what
 * is wrong ({@code 2025550123} lacks the '+', {@code 1-202-555-0123} has dashes); libphonenumber
 * then checks that the number exists in its country's numbering plan.
 */
public final class E164 {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern SHAPE = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final String EXAMPLE = "e.g. +12025550123";

    private E164() {}

    /**
     * Returns the number unchanged when it is valid E.164.
     *
     * @param field the parameter name, used in the error message
     * @throws InvalidNumber with a message a person can act on
     */
    public static String parse(String field, String raw) {
        if (raw.isEmpty()) {
            throw new InvalidNumber(field + " is empty; it must be a phone number in E.164 format, " + EXAMPLE);
        }
        if (!SHAPE.matcher(raw).matches()) {
            throw new InvalidNumber(field + " '" + raw + "' is not in E.164 format: " + shapeProblem(raw));
        }
        try {
            var number = UTIL.parse(raw, "ZZ");
            if (!UTIL.isValidNumber(number)) {
                var region = UTIL.getRegionCodeForCountryCode(number.getCountryCode());
                var reason = UTIL.isPossibleNumberWithReason(number);
                var why = switch (reason) {
                    case TOO_SHORT -> "it is too short";
                    case TOO_LONG -> "it is too long";
                    case INVALID_LENGTH -> "it has the wrong number of digits";
                    case INVALID_COUNTRY_CODE -> "+" + number.getCountryCode() + " is not a country calling code";
                    case IS_POSSIBLE, IS_POSSIBLE_LOCAL_ONLY -> "it is not an assigned number range";
                };
                var where = "ZZ".equals(region) ? "" : " for " + region;
                throw new InvalidNumber(field + " '" + raw + "' is not a valid phone number" + where + ": " + why);
            }
        } catch (NumberParseException e) {
            var why = e.getErrorType() == NumberParseException.ErrorType.INVALID_COUNTRY_CODE
                    ? "it does not start with a known country calling code"
                    : "it cannot be read as a phone number";
            throw new InvalidNumber(field + " '" + raw + "' is not a valid phone number: " + why);
        }
        return raw;
    }

    /** Digits only, without the '+': the form used in room names. */
    public static String digits(String e164) {
        return e164.substring(1);
    }

    /** ISO 3166-1 alpha-2 region of a valid E.164 number, or "ZZ" when the plan spans regions. */
    public static String region(String e164) {
        try {
            var region = UTIL.getRegionCodeForNumber(UTIL.parse(e164, "ZZ"));
            return region == null ? "ZZ" : region;
        } catch (NumberParseException e) {
            return "ZZ";
        }
    }

    private static String shapeProblem(String raw) {
        if (raw.chars().anyMatch(c -> c == '-')) {
            return "it contains dashes; write '+', the country code and the digits only, " + EXAMPLE;
        }
        if (raw.chars().anyMatch(c -> c == ' ' || c == '\u00a0')) {
            return "it contains spaces; write '+', the country code and the digits only, " + EXAMPLE;
        }
        var invisible = raw.codePoints()
                .filter(c -> Character.isWhitespace(c)
                        || Character.isISOControl(c)
                        || Character.getType(c) == Character.FORMAT)
                .findFirst();
        if (invisible.isPresent()) {
            return "it contains " + describe(invisible.getAsInt())
                    + "; write '+', the country code and the digits only, " + EXAMPLE;
        }
        if (!raw.startsWith("+")) {
            return "it is missing the '+' and country code, " + EXAMPLE;
        }
        if (raw.chars().skip(1).anyMatch(c -> c < '0' || c > '9')) {
            return "only '+' followed by digits is allowed (no dots, letters or parentheses), " + EXAMPLE;
        }
        if (raw.length() > 16) {
            return "E.164 numbers have at most 15 digits";
        }
        if (raw.length() > 1 && raw.charAt(1) == '0') {
            return "a country code never starts with 0";
        }
        return "it needs a country code and a subscriber number, " + EXAMPLE;
    }

    /** Names an invisible character so the client can find it: a tab is not a space. */
    private static String describe(int codePoint) {
        var name = switch (codePoint) {
            case '\t' -> "a tab";
            case '\n' -> "a line feed";
            case '\r' -> "a carriage return";
            case 0 -> "a NUL character";
            default -> Character.isISOControl(codePoint) ? "a control character" : "an invisible character";
        };
        return name + String.format(" (U+%04X)", codePoint);
    }

    /** A phone number that is not valid E.164; the message names the field and the problem. */
    public static final class InvalidNumber extends RuntimeException {
        InvalidNumber(String message) {
            super(message, null, false, false);
        }

        /** Always set: every constructor takes a message. */
        @Override
        public String getMessage() {
            return java.util.Objects.requireNonNull(super.getMessage());
        }
    }
}
