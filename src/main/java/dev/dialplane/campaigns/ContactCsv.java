package dev.dialplane.campaigns;

import dev.dialplane.common.ApiException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * A CSV of people to call read as a stream of {@link CampaignTargets.Line}s, never held whole. The
 * first non-blank row names the columns: the number is in {@code to_number}, {@code phone},
 * {@code phone_number} or {@code number}; {@code from_number} is the caller number; every other
 * column becomes a field of the contact's context (its variables), empty cells left out. Rows are
 * numbered by their line in the file (the header is line 1).
 */
public final class ContactCsv implements Iterator<CampaignTargets.Line>, AutoCloseable {

    public static final String MALFORMED_CSV = "MALFORMED_CSV";
    public static final String MISSING_NUMBER_COLUMN = "MISSING_NUMBER_COLUMN";
    static final Set<String> NUMBER_COLUMNS = Set.of("to_number", "phone", "phone_number", "number");
    static final String FROM_COLUMN = "from_number";

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT
            .builder()
            // blank lines are skipped here, not by the parser, so every record's line is known
            .setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(true)
            // a stray quote refuses one row instead of the whole file
            .setTrailingData(true)
            .setLenientEof(true)
            .get();

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private String[] names = new String[0];
    private int numberColumn = -1;
    private int fromColumn = -1;
    private long line = 1;
    private CampaignTargets.@Nullable Line next;

    private ContactCsv(CSVParser parser) {
        this.parser = parser;
        this.records = parser.iterator();
    }

    /**
     * Reads the header row now, so a file without a number column is refused before anything is stored.
     *
     * @throws ApiException 400 {@value #MISSING_NUMBER_COLUMN} or {@value #MALFORMED_CSV}
     */
    public static ContactCsv open(Reader body) {
        try {
            var csv = new ContactCsv(
                    CSVParser.builder().setReader(body).setFormat(FORMAT).get());
            csv.readHeader();
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readHeader() {
        while (true) {
            var record = nextRecord();
            if (record == null) {
                throw ApiException.badRequest(
                        MISSING_NUMBER_COLUMN,
                        "The CSV is empty: its first row names the columns,"
                                + " one of them to_number, phone, phone_number or number.");
            }
            if (blank(record)) {
                continue;
            }
            names = new String[record.size()];
            for (int i = 0; i < record.size(); i++) {
                var name = withoutByteOrderMark(record.get(i)).strip();
                names[i] = name;
                var lower = name.toLowerCase(Locale.ROOT);
                if (numberColumn < 0 && NUMBER_COLUMNS.contains(lower)) {
                    numberColumn = i;
                } else if (fromColumn < 0 && lower.equals(FROM_COLUMN)) {
                    fromColumn = i;
                }
            }
            if (numberColumn < 0) {
                throw ApiException.badRequest(
                        MISSING_NUMBER_COLUMN,
                        "The CSV's first row must name the columns, one of them to_number, phone, phone_number or"
                                + " number (the number to call); it has " + String.join(", ", names) + ".");
            }
            return;
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            var recordLine = line;
            var record = nextRecord();
            if (record == null) {
                return false;
            }
            if (blank(record)) {
                continue;
            }
            var context = new LinkedHashMap<String, Object>();
            for (int i = 0; i < record.size() && i < names.length; i++) {
                if (i != numberColumn
                        && i != fromColumn
                        && !names[i].isEmpty()
                        && !record.get(i).isEmpty()) {
                    context.put(names[i], record.get(i));
                }
            }
            next = new CampaignTargets.Line(
                    recordLine,
                    numberColumn < record.size() ? record.get(numberColumn) : null,
                    fromColumn >= 0 && fromColumn < record.size() ? record.get(fromColumn) : null,
                    context);
        }
        return true;
    }

    @Override
    public CampaignTargets.Line next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        var row = next;
        next = null;
        return java.util.Objects.requireNonNull(row);
    }

    /** The next record, noting the line the one after it starts on; null at the end. */
    private @Nullable CSVRecord nextRecord() {
        try {
            if (!records.hasNext()) {
                return null;
            }
            var record = records.next();
            line = parser.getCurrentLineNumber() + 1;
            return record;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CSVException malformed) {
                throw ApiException.badRequest(
                        MALFORMED_CSV,
                        "The body could not be read as CSV after line " + line + " (" + malformed.getMessage() + ")");
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private static boolean blank(CSVRecord record) {
        for (var value : record) {
            if (!value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static String withoutByteOrderMark(String value) {
        return value.startsWith("\uFEFF") ? value.substring(1) : value;
    }
}
