package dev.dialplane.compliance;

import java.util.List;

/**
 * What an import did.
 *
 * @param rows data rows read (the header row and blank lines not counted)
 * @param added numbers newly put on the list
 * @param alreadyListed valid rows whose number was on the list already (or earlier in the file)
 * @param invalid rows without a valid number; the first {@link DoNotCallList#MAX_REPORTED_ERRORS}
 *     are in {@code errors}
 */
public record DncImport(long rows, long added, long alreadyListed, long invalid, List<Error> errors) {

    public DncImport {
        errors = List.copyOf(errors);
    }

    /** One refused row: its line in the file, the value as read (cut to 64 characters), what is wrong. */
    public record Error(long line, String value, String detail) {}
}
