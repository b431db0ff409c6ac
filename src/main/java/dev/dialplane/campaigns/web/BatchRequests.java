package dev.dialplane.campaigns.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.web.Fields;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * TalkifAI's {@code POST /batch/create} read into a {@link Spec}, from a JSON body or a multipart
 * form with a CSV {@code file}, with every field, range and default that API documents. A bad
 * request is one 400 in TalkifAI's envelope: its {@code code} is the first problem's
 * ({@code too_many_contacts}, {@code invalid_timezone}, {@code invalid_phone_format},
 * {@code duplicate_phone}, {@code invalid_csv}, else {@code validation_error}) and {@code errors}
 * lists every problem found, each naming its field, contact index or file row.
 */
final class BatchRequests {

    static final int MAX_CONTACTS = 10_000;
    static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 1000;
    static final int MAX_CONTACT_NAME = 255;
    /** A contact's custom fields, as JSON: the same bound as a call's context. */
    static final int MAX_VARIABLES_CHARS = CampaignController.MAX_CONTEXT_CHARS;
    /** Problems listed in {@code errors}; a file can have thousands of bad rows. */
    static final int MAX_REPORTED = 100;

    static final String VALIDATION_ERROR = "validation_error";
    static final String TOO_MANY_CONTACTS = "too_many_contacts";
    static final String INVALID_TIMEZONE = "invalid_timezone";
    static final String PAST_SCHEDULED_TIME = "past_scheduled_time";
    static final String INVALID_PHONE_FORMAT = "invalid_phone_format";
    static final String DUPLICATE_PHONE = "duplicate_phone";
    static final String INVALID_CSV = "invalid_csv";
    static final String FILE_TOO_LARGE = "file_too_large";

    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private static final CSVFormat CSV = CSVFormat.DEFAULT
            .builder()
            .setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(true)
            .setTrailingData(true)
            .setLenientEof(true)
            .get();

    private BatchRequests() {}

    /** One person to call: E.164 number, name, custom fields (in the order given). */
    record Contact(String phone, @Nullable String name, Map<String, Object> variables) {}

    /** A valid create request; {@code scheduledStartTime} is local to {@code timezone}. */
    record Spec(
            UUID fromPhoneNumberId,
            String name,
            @Nullable String description,
            int concurrentCallLimit,
            int maxAttempts,
            @Nullable LocalDateTime scheduledStartTime,
            ZoneId zone,
            String timezone,
            List<Contact> contacts) {}

    /** Problems found so far, each with its TalkifAI code; the first decides the response's code. */
    private static final class Problems {
        final List<FieldViolation> violations = new ArrayList<>();

        @Nullable String code;

        int count;

        void add(String code, String field, String message) {
            if (this.code == null) {
                this.code = code;
            }
            count++;
            if (violations.size() < MAX_REPORTED) {
                violations.add(new FieldViolation(field, message));
            }
        }

        /** Text checks report into a list of their own; they become {@code validation_error}s. */
        boolean text(String field, String value, boolean multiLine) {
            var found = new ArrayList<FieldViolation>();
            if (Fields.text(field, value, multiLine, found)) {
                return true;
            }
            found.forEach(v -> add(VALIDATION_ERROR, v.field(), v.message()));
            return false;
        }

        void throwIfAny() {
            if (code == null) {
                return;
            }
            var first = violations.getFirst();
            var message = first.field() + ": " + first.message()
                    + (count > 1
                            ? " (" + count + " problems in all"
                                    + (count > MAX_REPORTED ? ", the first " + MAX_REPORTED : "") + " listed in errors)"
                            : "");
            throw new ApiException(HttpStatus.BAD_REQUEST, code, message, violations, Map.of());
        }
    }

    /** The JSON form: {@code contacts} of {@code {phone, name?, …custom}}. */
    static Spec fromJson(JsonNode body) {
        var problems = new Problems();
        if (!body.isObject()) {
            problems.add(VALIDATION_ERROR, "body", "must be a JSON object");
            problems.throwIfAny();
        }
        var contactsNode = body.get("contacts");
        if (contactsNode != null && contactsNode.isArray() && contactsNode.size() > MAX_CONTACTS) {
            throw tooMany(contactsNode.size() + " contacts were sent");
        }
        var fields = fields(
                problems,
                text(body, "fromPhoneNumberId", problems),
                text(body, "name", problems),
                text(body, "description", problems),
                integer(body, "concurrentCallLimit", problems),
                integer(body, "maxAttempts", problems),
                text(body, "scheduledStartTime", problems),
                text(body, "timezone", problems));
        var contacts = new ArrayList<Contact>();
        if (contactsNode == null || contactsNode.isNull()) {
            problems.add(VALIDATION_ERROR, "contacts", "is required (or send a CSV file as multipart/form-data)");
        } else if (!contactsNode.isArray()) {
            problems.add(VALIDATION_ERROR, "contacts", "must be a list of {phone, name?, …custom fields}");
        } else if (contactsNode.isEmpty()) {
            problems.add(VALIDATION_ERROR, "contacts", "must have at least one contact");
        } else {
            var seen = new HashMap<String, Integer>();
            for (int i = 0; i < contactsNode.size(); i++) {
                var contact = contact(contactsNode.get(i), "contacts[" + i + "]", problems);
                if (contact != null && unique(contact.phone(), i, "contacts[" + i + "].phone", seen, problems, null)) {
                    contacts.add(contact);
                }
            }
        }
        problems.throwIfAny();
        return fields.with(contacts);
    }

    /** The multipart form: a CSV {@code file} with a {@code phone} column, and the fields as form parts. */
    static Spec fromForm(Map<String, String> form, @Nullable InputStream file, long fileSize) {
        var problems = new Problems();
        if (fileSize > MAX_FILE_BYTES) {
            throw new ApiException(
                    HttpStatus.CONTENT_TOO_LARGE,
                    FILE_TOO_LARGE,
                    "file is " + fileSize + " bytes; a contacts file may have at most " + MAX_FILE_BYTES
                            + " bytes (10 MB).");
        }
        var fields = fields(
                problems,
                form.get("fromPhoneNumberId"),
                form.get("name"),
                form.get("description"),
                formInteger(form, "concurrentCallLimit", problems),
                formInteger(form, "maxAttempts", problems),
                blankAsNull(form.get("scheduledStartTime")),
                blankAsNull(form.get("timezone")));
        if (file == null) {
            problems.add(VALIDATION_ERROR, "file", "is required: a CSV with a phone column (or send JSON contacts)");
            problems.throwIfAny();
            throw new IllegalStateException("unreachable");
        }
        var contacts = csv(file, problems);
        problems.throwIfAny();
        return fields.with(contacts);
    }

    /** The fields beside the contacts, checked. */
    private record Settings(
            @Nullable UUID fromPhoneNumberId,
            @Nullable String name,
            @Nullable String description,
            int concurrentCallLimit,
            int maxAttempts,
            @Nullable LocalDateTime scheduledStartTime,
            ZoneId zone,
            String timezone) {

        Spec with(List<Contact> contacts) {
            return new Spec(
                    java.util.Objects.requireNonNull(fromPhoneNumberId),
                    java.util.Objects.requireNonNull(name),
                    description,
                    concurrentCallLimit,
                    maxAttempts,
                    scheduledStartTime,
                    zone,
                    timezone,
                    List.copyOf(contacts));
        }
    }

    private static Settings fields(
            Problems problems,
            @Nullable String fromPhoneNumberId,
            @Nullable String name,
            @Nullable String description,
            @Nullable Integer concurrentCallLimit,
            @Nullable Integer maxAttempts,
            @Nullable String scheduledStartTime,
            @Nullable String timezone) {
        UUID from = null;
        if (fromPhoneNumberId == null || fromPhoneNumberId.isBlank()) {
            problems.add(VALIDATION_ERROR, "fromPhoneNumberId", "is required: the id of one of your phone numbers");
        } else {
            try {
                from = UUID.fromString(fromPhoneNumberId.strip());
            } catch (IllegalArgumentException e) {
                problems.add(
                        VALIDATION_ERROR,
                        "fromPhoneNumberId",
                        "must be a phone number id (a UUID, see GET /phone-numbers)");
            }
        }
        String checkedName = null;
        if (name == null || name.isBlank()) {
            problems.add(VALIDATION_ERROR, "name", "is required");
        } else if (name.length() > MAX_NAME) {
            problems.add(VALIDATION_ERROR, "name", "must be at most " + MAX_NAME + " characters");
        } else if (problems.text("name", name, false)) {
            checkedName = name;
        }
        String checkedDescription = null;
        if (description != null && description.length() > MAX_DESCRIPTION) {
            problems.add(VALIDATION_ERROR, "description", "must be at most " + MAX_DESCRIPTION + " characters");
        } else if (description != null && problems.text("description", description, true)) {
            checkedDescription = description;
        }
        var concurrency = range("concurrentCallLimit", concurrentCallLimit, 1, 50, 5, problems);
        var attempts = range("maxAttempts", maxAttempts, 1, 10, 3, problems);
        var zoneName = timezone == null ? "UTC" : timezone.strip();
        var zone = ZoneId.of("UTC");
        if (!zoneName.equals("UTC") && !ZONES.contains(zoneName)) {
            var shown = zoneName.length() <= 64 && Fields.text("timezone", zoneName, false, new ArrayList<>())
                    ? "'" + zoneName + "' "
                    : "";
            problems.add(
                    INVALID_TIMEZONE,
                    "timezone",
                    shown + "is not an IANA time zone, such as America/New_York or Europe/London");
        } else {
            zone = ZoneId.of(zoneName);
        }
        LocalDateTime start = null;
        if (scheduledStartTime != null) {
            try {
                start = localDateTime(scheduledStartTime);
            } catch (DateTimeParseException e) {
                problems.add(
                        VALIDATION_ERROR,
                        "scheduledStartTime",
                        "must be an ISO local date-time without an offset, such as 2027-01-15T09:00:00 (the zone"
                                + " goes in timezone)");
            }
        }
        return new Settings(from, checkedName, checkedDescription, concurrency, attempts, start, zone, zoneName);
    }

    /** An ISO local date-time of the years 1 to 9999 (what a database timestamp holds). */
    static LocalDateTime localDateTime(String raw) {
        var value = LocalDateTime.parse(raw.strip());
        if (value.getYear() < 1 || value.getYear() > 9999) {
            throw new DateTimeParseException("year out of range", raw, 0);
        }
        return value;
    }

    private static int range(
            String field, @Nullable Integer value, int min, int max, int otherwise, Problems problems) {
        if (value == null) {
            return otherwise;
        }
        if (value < min || value > max) {
            problems.add(VALIDATION_ERROR, field, "must be between " + min + " and " + max);
            return otherwise;
        }
        return value;
    }

    private static @Nullable String text(JsonNode body, String field, Problems problems) {
        var node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            problems.add(VALIDATION_ERROR, field, "must be a string");
            return null;
        }
        return node.asString();
    }

    /** An integer, or a string or a whole number that reads as one (as Pydantic's lax mode takes it). */
    private static @Nullable Integer integer(JsonNode body, String field, Problems problems) {
        var node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isString()) {
            return parseInteger(field, node.asString(), problems);
        }
        if (node.isIntegralNumber()) {
            var value = node.bigIntegerValue();
            if (value.bitLength() >= 32) {
                problems.add(VALIDATION_ERROR, field, "is out of range");
                return -1;
            }
            return value.intValue();
        }
        if (node.isNumber()) {
            // a whole number written as a float (5.0); never NaN, infinite or fractional
            var value = node.doubleValue();
            if (Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        return invalidInteger(field, problems);
    }

    private static @Nullable Integer formInteger(Map<String, String> form, String field, Problems problems) {
        var raw = blankAsNull(form.get(field));
        return raw == null ? null : parseInteger(field, raw, problems);
    }

    private static Integer parseInteger(String field, String raw, Problems problems) {
        try {
            return new BigDecimal(raw.strip()).intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return invalidInteger(field, problems);
        }
    }

    /** Reports a non-integer; the placeholder returned is out of every range, so nothing else uses it. */
    private static Integer invalidInteger(String field, Problems problems) {
        problems.add(VALIDATION_ERROR, field, "must be an integer");
        return -1;
    }

    private static @Nullable String blankAsNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static @Nullable Contact contact(@Nullable JsonNode node, String at, Problems problems) {
        if (node == null || !node.isObject()) {
            problems.add(VALIDATION_ERROR, at, "must be an object {phone, name?, …custom fields}");
            return null;
        }
        var phoneNode = node.get("phone");
        String phone = null;
        if (phoneNode == null || phoneNode.isNull()) {
            problems.add(INVALID_PHONE_FORMAT, at + ".phone", "is required");
        } else if (!phoneNode.isString()) {
            problems.add(INVALID_PHONE_FORMAT, at + ".phone", "must be a string in E.164 format, e.g. +12025550123");
        } else {
            phone = phone(at + ".phone", phoneNode.asString(), problems, null);
        }
        String name = null;
        var nameNode = node.get("name");
        if (nameNode != null && !nameNode.isNull()) {
            if (!nameNode.isString()) {
                problems.add(VALIDATION_ERROR, at + ".name", "must be a string");
            } else {
                name = contactName(at + ".name", nameNode.asString(), problems);
            }
        }
        var variables = new LinkedHashMap<String, Object>();
        var ok = true;
        for (var entry : node.properties()) {
            if (entry.getKey().equals("phone") || entry.getKey().equals("name")) {
                continue;
            }
            ok &= problems.text(at + " field name", entry.getKey(), false)
                    && strings(at + "." + entry.getKey(), entry.getValue(), problems);
            variables.put(entry.getKey(), entry.getValue());
        }
        if (ok
                && !variables.isEmpty()
                && JsonMapper.shared().writeValueAsString(variables).length() > MAX_VARIABLES_CHARS) {
            problems.add(
                    VALIDATION_ERROR,
                    at,
                    "its custom fields must be at most " + MAX_VARIABLES_CHARS + " characters as JSON");
            ok = false;
        }
        return phone == null || !ok ? null : new Contact(phone, name, variables);
    }

    /** Every text inside a custom field's value can be stored (no NUL, no unpaired surrogate). */
    private static boolean strings(String at, JsonNode value, Problems problems) {
        if (value.isString()) {
            return problems.text(at, value.asString(), true);
        }
        var ok = true;
        if (value.isObject()) {
            for (var entry : value.properties()) {
                ok &= problems.text(at + " field name", entry.getKey(), true)
                        && strings(at + "." + entry.getKey(), entry.getValue(), problems);
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                ok &= strings(at + "[" + i + "]", value.get(i), problems);
            }
        }
        return ok;
    }

    private static @Nullable String contactName(String field, String raw, Problems problems) {
        var name = raw.strip();
        if (name.isEmpty()) {
            return null;
        }
        if (name.length() > MAX_CONTACT_NAME) {
            problems.add(VALIDATION_ERROR, field, "must be at most " + MAX_CONTACT_NAME + " characters");
            return null;
        }
        return problems.text(field, name, false) ? name : null;
    }

    /** E.164 after stripping spaces, as the call routes read numbers; {@code where} names a file row. */
    private static @Nullable String phone(String field, String raw, Problems problems, @Nullable String where) {
        var found = new ArrayList<FieldViolation>();
        var phone = raw.length() > 32 ? null : Fields.e164(field, raw, found);
        if (raw.length() > 32) {
            found.add(new FieldViolation(field, field + " is too long to be a phone number"));
        }
        if (phone == null) {
            var message =
                    found.isEmpty() ? "is not a phone number" : found.getFirst().message();
            problems.add(INVALID_PHONE_FORMAT, field, where == null ? message : where + ": " + message);
        }
        return phone;
    }

    /** A number is called once per job, as MrAssistant's campaigns refuse duplicates too. */
    private static boolean unique(
            String phone,
            int index,
            String field,
            Map<String, Integer> seen,
            Problems problems,
            @Nullable String rowLabel) {
        var first = seen.putIfAbsent(phone, index);
        if (first == null) {
            return true;
        }
        problems.add(
                DUPLICATE_PHONE,
                field,
                (rowLabel == null
                                ? "duplicates contacts[" + first + "].phone"
                                : rowLabel + " duplicates data row " + (first + 1))
                        + " (" + phone + "): a number is called once per batch job");
        return false;
    }

    private static ApiException tooMany(String sent) {
        return new ApiException(
                HttpStatus.BAD_REQUEST,
                TOO_MANY_CONTACTS,
                "A batch job takes at most " + String.format(Locale.ROOT, "%,d", MAX_CONTACTS) + " contacts; " + sent
                        + ". Split them into several jobs.",
                List.of(new FieldViolation("contacts", "must have at most " + MAX_CONTACTS + " contacts")),
                Map.of());
    }

    /**
     * Reads the CSV as a stream: a header row naming a {@code phone} column (any case), then one
     * contact per row; a {@code name} column is the contact's name, every other named column one of
     * its custom fields. Blank lines are skipped. Rows are reported as "data row N (line L)".
     */
    private static List<Contact> csv(InputStream file, Problems problems) {
        var contacts = new ArrayList<Contact>();
        var seen = new HashMap<String, Integer>();
        try (var parser = CSVParser.builder()
                .setReader(new InputStreamReader(file, StandardCharsets.UTF_8))
                .setFormat(CSV)
                .get()) {
            List<String> header = null;
            var phoneColumn = -1;
            var nameColumn = -1;
            var dataRow = 0;
            long line = 1;
            for (var record : (Iterable<CSVRecord>) parser::iterator) {
                var recordLine = line;
                line = parser.getCurrentLineNumber() + 1;
                if (blank(record)) {
                    continue;
                }
                if (header == null) {
                    header = new ArrayList<>();
                    for (int i = 0; i < record.size(); i++) {
                        var column = record.get(i);
                        column = (i == 0 && column.startsWith("\uFEFF") ? column.substring(1) : column).strip();
                        header.add(column);
                        var key = column.toLowerCase(Locale.ROOT);
                        if (key.equals("phone") && phoneColumn < 0) {
                            phoneColumn = i;
                        } else if (key.equals("name") && nameColumn < 0) {
                            nameColumn = i;
                        } else if (!problems.text("file header column " + (i + 1), column, false)) {
                            return contacts;
                        }
                    }
                    if (phoneColumn < 0) {
                        var names = String.join(", ", header);
                        problems.add(
                                INVALID_CSV,
                                "file",
                                "the header row (line " + recordLine + ") has no phone column"
                                        + (names.length() <= 200 ? " (its columns: " + names + ")" : "")
                                        + "; the first row must name the columns, one of them phone");
                        return contacts;
                    }
                    continue;
                }
                dataRow++;
                if (dataRow > MAX_CONTACTS) {
                    throw tooMany(
                            "the file has more than that (data row " + dataRow + " is at line " + recordLine + ")");
                }
                var index = dataRow - 1;
                var label = "data row " + dataRow + " (line " + recordLine + ")";
                var field = "contacts[" + index + "].phone";
                var raw = phoneColumn < record.size() ? record.get(phoneColumn) : "";
                var phone = phone(field, raw, problems, label);
                String name = null;
                if (nameColumn >= 0 && nameColumn < record.size()) {
                    name = contactName("contacts[" + index + "].name", record.get(nameColumn), problems);
                }
                var variables = new LinkedHashMap<String, Object>();
                var ok = true;
                for (int i = 0; i < Math.min(header.size(), record.size()); i++) {
                    if (i == phoneColumn || i == nameColumn || header.get(i).isEmpty()) {
                        continue;
                    }
                    var value = record.get(i);
                    ok &= problems.text("contacts[" + index + "]." + header.get(i), value, true);
                    variables.put(header.get(i), value);
                }
                if (phone != null && ok && unique(phone, index, field, seen, problems, label)) {
                    contacts.add(new Contact(phone, name, variables));
                }
            }
            if (header == null) {
                problems.add(
                        INVALID_CSV,
                        "file",
                        "is empty: it needs a header row with a phone column and a row per contact");
            } else if (dataRow == 0) {
                problems.add(VALIDATION_ERROR, "file", "has a header row but no contacts");
            }
        } catch (UncheckedIOException | IOException e) {
            var cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
            if (!(cause instanceof CSVException)) {
                throw e instanceof UncheckedIOException unchecked
                        ? unchecked
                        : new UncheckedIOException((IOException) e);
            }
            problems.add(INVALID_CSV, "file", "could not be read as CSV: " + cause.getMessage());
        }
        return contacts;
    }

    private static boolean blank(CSVRecord record) {
        for (var value : record) {
            if (!value.isBlank()) {
                return false;
            }
        }
        return true;
    }
}
