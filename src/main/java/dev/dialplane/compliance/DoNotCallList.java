package dev.dialplane.compliance;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.E164;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.Tenant;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An organization's do-not-call list: numbers its calls must not reach while its policy has
 * {@code dnc_enforced}. {@link #blocks} is what a call passes when it is placed and again right
 * before it is dialed; adding numbers publishes {@link NumbersAddedToDnc}, so calls to them that
 * have not started are canceled.
 */
@Service
public class DoNotCallList {

    public static final String NUMBER_ON_DNC = "NUMBER_ON_DNC";
    public static final String DNC_ENTRY_NOT_FOUND = "DNC_ENTRY_NOT_FOUND";
    public static final String IMPORT_TOO_LARGE = "IMPORT_TOO_LARGE";
    public static final String MALFORMED_CSV = "MALFORMED_CSV";
    /** Most numbers one {@code POST /dnc} takes. */
    public static final int MAX_NUMBERS_PER_REQUEST = 1000;
    /** Most data rows one import reads. */
    public static final long MAX_IMPORT_ROWS = 1_000_000;
    /** Refused rows an import reports one by one; the rest are only counted. */
    public static final int MAX_REPORTED_ERRORS = 1000;
    /** Rows stored per statement and transaction by an import. */
    static final int IMPORT_BATCH = 1000;
    /** An import that added this many numbers or more refreshes the table's statistics. */
    static final int ANALYZE_AFTER = 10_000;

    private static final int REPORTED_VALUE_LENGTH = 64;
    /** Longer than any E.164 number with room for a mistake; longer values are not echoed in messages. */
    private static final int LONGEST_CHECKED_VALUE = 32;

    private static final CSVFormat CSV = CSVFormat.DEFAULT
            .builder()
            // blank lines are skipped here, not by the parser, so every record's line is known
            .setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(true)
            // a stray quote refuses one row instead of the whole file
            .setTrailingData(true)
            .setLenientEof(true)
            .get();

    /** {@link #MAX_IMPORT_ROWS}; lower only in tests, which cannot send a million rows each time. */
    private volatile long maxImportRows = MAX_IMPORT_ROWS;

    private final DncRepository entries;
    private final CompliancePolicyService policies;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    DoNotCallList(
            DncRepository entries,
            CompliancePolicyService policies,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            Clock clock) {
        this.entries = entries;
        this.policies = policies;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Whether the number is on the organization's list: one index probe. */
    public boolean isListed(UUID organizationId, String e164) {
        return entries.contains(organizationId, e164);
    }

    /**
     * Whether a call to the number must be refused: it is listed and the organization enforces its
     * list. The policy is read only for a listed number, so an unlisted one costs one probe.
     */
    public boolean blocks(UUID organizationId, String e164) {
        return isListed(organizationId, e164) && policies.policy(organizationId).dncEnforced();
    }

    /** The 422 a call to a listed number answers with: which number, and how to call it again. */
    public static ApiException refusal(String e164) {
        return new ApiException(
                HttpStatus.UNPROCESSABLE_CONTENT,
                NUMBER_ON_DNC,
                e164 + " is on your organization's do-not-call list, so no call was placed. If the callee agreed to"
                        + " be called again, remove it with DELETE /dnc/" + e164.replace("+", "%2B") + ".");
    }

    /** What adding numbers did. */
    public record Added(int added, int alreadyListed, List<DncEntry> entries) {}

    /**
     * Puts numbers on the organization's list; a number already listed keeps its entry (its reason
     * and source). Calls to the numbers that have not started are canceled after the commit.
     *
     * @param numbers valid E.164 numbers (the caller validated them), duplicates allowed
     * @return how many were added and already listed, and each number's entry as it now stands
     */
    @Transactional
    public Added add(UUID organizationId, Collection<String> numbers, @Nullable String reason, DncSource source) {
        var unique = new LinkedHashSet<>(numbers);
        if (unique.isEmpty()) {
            return new Added(0, 0, List.of());
        }
        var added = store(organizationId, unique, reason, source);
        var stored = entries.findAll(organizationId, unique);
        var order = new ArrayList<>(unique);
        var listed = stored.stream()
                .sorted(java.util.Comparator.comparingInt(entry -> order.indexOf(entry.number())))
                .toList();
        return new Added(added, numbers.size() - added, listed);
    }

    /** One number, as an agent-reported opt-out adds it. */
    @Transactional
    public boolean add(UUID organizationId, String e164, @Nullable String reason, DncSource source) {
        return store(organizationId, List.of(e164), reason, source) == 1;
    }

    private int store(UUID organizationId, Collection<String> numbers, @Nullable String reason, DncSource source) {
        var added = entries.insert(organizationId, numbers, reason, source, clock.instant());
        events.publishEvent(new NumbersAddedToDnc(organizationId, List.copyOf(numbers)));
        return added;
    }

    public Page<DncEntry> list(Tenant tenant, PageRequest page) {
        return Page.of(
                entries.page(tenant.organizationId(), page),
                page.limit(),
                entry -> new Cursor(entry.createdAt(), entry.id()));
    }

    /**
     * The listed numbers starting with {@code prefix} (a '+' and up to 15 digits; the '+' may be
     * left out), newest first: Studio's search.
     *
     * @throws ApiException 400 {@code INVALID_PARAMETER} when the prefix is not the start of an E.164 number
     */
    public Page<DncEntry> search(Tenant tenant, String prefix, PageRequest page) {
        var digits = prefix.strip().replace(" ", "");
        if (!digits.matches("\\+?[0-9]{1,15}")) {
            throw ApiException.badRequest(
                    "INVALID_PARAMETER",
                    "number: a search is the start of a number in E.164 format, '+' and digits, e.g. +1202.");
        }
        var normalized = digits.startsWith("+") ? digits : "+" + digits;
        return Page.of(
                entries.pageByPrefix(tenant.organizationId(), normalized, page),
                page.limit(),
                entry -> new Cursor(entry.createdAt(), entry.id()));
    }

    public Optional<DncEntry> find(Tenant tenant, String e164) {
        return entries.find(tenant.organizationId(), e164);
    }

    /** Takes a number off the list: calls to it may be placed again. */
    public void remove(Tenant tenant, String e164) {
        if (!entries.delete(tenant.organizationId(), e164)) {
            throw ApiException.notFound(DNC_ENTRY_NOT_FOUND, e164 + " is not on your organization's do-not-call list.");
        }
    }

    /**
     * Imports a CSV read as a stream: one number per line, or a header row naming a {@code phone}
     * or {@code number} column (other columns ignored). Valid rows are stored {@value #IMPORT_BATCH}
     * per statement and transaction as they are read, so memory does not grow with the file;
     * invalid rows are counted and the first {@value #MAX_REPORTED_ERRORS} reported by line.
     *
     * @throws ApiException 413 {@code IMPORT_TOO_LARGE} past {@value #MAX_IMPORT_ROWS} rows (the rows
     *     before are kept); 400 {@code MALFORMED_CSV} when the text cannot be read as CSV
     */
    public DncImport importCsv(UUID organizationId, Reader body, @Nullable String reason) {
        var progress = new Progress();
        try (var parser = CSVParser.builder().setReader(body).setFormat(CSV).get()) {
            var records = parser.iterator();
            var column = -1; // unknown until the first non-blank row
            var header = false;
            long line = 1;
            while (records.hasNext()) {
                var record = records.next();
                var recordLine = line;
                // the line after this record's end: where the next record starts
                line = parser.getCurrentLineNumber() + 1;
                if (blank(record)) {
                    continue;
                }
                if (column < 0) {
                    column = phoneColumn(record);
                    header = column >= 0;
                    if (header) {
                        continue;
                    }
                    column = 0;
                }
                if (progress.rows == maxImportRows) {
                    finish(organizationId, progress, reason);
                    throw tooLarge(progress, recordLine, maxImportRows);
                }
                progress.rows++;
                var value = column < record.size() ? record.get(column) : null;
                if (progress.rows == 1 && value != null && !header) {
                    value = withoutByteOrderMark(value);
                }
                var problem = problem(value, header, record.size());
                if (problem != null) {
                    progress.refuse(recordLine, value == null ? "" : value, problem);
                    continue;
                }
                progress.valid++;
                progress.batch.add(value);
                if (progress.valid % IMPORT_BATCH == 0) {
                    flush(organizationId, progress, reason);
                }
            }
        } catch (UncheckedIOException | IOException e) {
            var cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
            // what was read before is kept, whatever stopped the reading
            finish(organizationId, progress, reason);
            if (!(cause instanceof CSVException)) {
                // the client's connection or the body limit, not the CSV: answered as such
                throw e instanceof UncheckedIOException unchecked
                        ? unchecked
                        : new UncheckedIOException((IOException) e);
            }
            throw ApiException.badRequest(
                    MALFORMED_CSV,
                    "The body could not be read as CSV (" + cause.getMessage() + "); " + kept(progress) + ".");
        }
        finish(organizationId, progress, reason);
        return new DncImport(
                progress.rows,
                progress.added,
                progress.valid - progress.added,
                progress.rows - progress.valid,
                progress.errors);
    }

    /** An import's running counts and the batch not stored yet. */
    private static final class Progress {
        long rows;
        long valid;
        long added;
        long invalid;
        final LinkedHashSet<String> batch = new LinkedHashSet<>();
        final List<DncImport.Error> errors = new ArrayList<>();

        void refuse(long line, String value, String detail) {
            invalid++;
            if (errors.size() < MAX_REPORTED_ERRORS) {
                var shown = value.length() <= REPORTED_VALUE_LENGTH
                        ? value
                        : value.substring(0, REPORTED_VALUE_LENGTH) + "…";
                errors.add(new DncImport.Error(line, shown, detail));
            }
        }
    }

    /** Stores what is left of the batch; a large import then refreshes the statistics (see {@link DncRepository#analyze}). */
    private void finish(UUID organizationId, Progress progress, @Nullable String reason) {
        flush(organizationId, progress, reason);
        if (progress.added >= ANALYZE_AFTER) {
            entries.analyze();
        }
    }

    private void flush(UUID organizationId, Progress progress, @Nullable String reason) {
        if (progress.batch.isEmpty()) {
            return;
        }
        var batch = List.copyOf(progress.batch);
        progress.batch.clear();
        var added = transactions.execute(status -> store(organizationId, batch, reason, DncSource.IMPORT));
        progress.added += added == null ? 0 : added;
    }

    /** Sets the row limit of an import; for tests only. */
    void maxImportRows(long rows) {
        maxImportRows = rows;
    }

    private static ApiException tooLarge(Progress progress, long line, long maxRows) {
        return new ApiException(
                HttpStatus.CONTENT_TOO_LARGE,
                IMPORT_TOO_LARGE,
                "An import takes at most " + String.format(Locale.ROOT, "%,d", maxRows) + " rows; line "
                        + line + " is past that and was not read, nor was anything after it; " + kept(progress)
                        + ". Import the rest as another file.");
    }

    private static String kept(Progress progress) {
        return "the " + progress.rows + " rows before were kept (" + progress.added + " added, "
                + (progress.valid - progress.added) + " already listed, " + (progress.rows - progress.valid)
                + " invalid)";
    }

    private static boolean blank(CSVRecord record) {
        for (var value : record) {
            if (!value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** The index of the {@code phone} or {@code number} column when this is a header row, else -1. */
    private static int phoneColumn(CSVRecord record) {
        for (int i = 0; i < record.size(); i++) {
            var name = withoutByteOrderMark(record.get(i)).strip().toLowerCase(Locale.ROOT);
            if (name.equals("phone") || name.equals("number")) {
                return i;
            }
        }
        return -1;
    }

    private static String withoutByteOrderMark(String value) {
        return value.startsWith("\uFEFF") ? value.substring(1) : value;
    }

    /** What is wrong with a row's number, or null when it is a valid E.164 number. */
    private static @Nullable String problem(@Nullable String value, boolean header, int columns) {
        if (value == null) {
            return "the row has no value in the phone column";
        }
        if (value.length() > LONGEST_CHECKED_VALUE) {
            return "is not a phone number in E.164 format: it has " + value.length()
                    + " characters, an E.164 number at most 16" + firstColumnNote(header, columns);
        }
        try {
            E164.parse("number", value);
            return null;
        } catch (E164.InvalidNumber e) {
            return e.getMessage() + firstColumnNote(header, columns);
        }
    }

    private static String firstColumnNote(boolean header, int columns) {
        return header || columns == 1
                ? ""
                : " (the file has no header row naming a phone or number column, so the first column is read)";
    }
}
