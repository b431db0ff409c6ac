package dev.dialplane.compliance.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.E164;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.common.web.TextUploads;
import dev.dialplane.compliance.DncEntry;
import dev.dialplane.compliance.DncImport;
import dev.dialplane.compliance.DncSource;
import dev.dialplane.compliance.DoNotCallList;
import dev.dialplane.orgs.Tenant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The organization's do-not-call list. Numbers are E.164; in a path or query string the '+' is
 * sent encoded ({@code %2B}), though an unencoded one is understood too.
 */
@RestController
@RequestMapping("/dnc")
class DoNotCallController {

    private final DoNotCallList list;
    private final RequestValidator validator;

    DoNotCallController(DoNotCallList list, RequestValidator validator) {
        this.list = list;
        this.validator = validator;
    }

    @PostMapping
    AddResponse add(Tenant tenant, @RequestBody AddRequest request) {
        RequestValidator.reject(validator.violations(request));
        // validated: every number is present and valid
        var numbers = request.numbers().stream()
                .map(java.util.Objects::requireNonNull)
                .toList();
        var added = list.add(tenant.organizationId(), numbers, request.reason(), DncSource.API);
        return new AddResponse(
                added.added(),
                added.alreadyListed(),
                added.entries().stream().map(EntryResource::of).toList());
    }

    /**
     * Newest first. With {@code number}, the page holds that number's entry, or nothing when it is not
     * listed (a filter, not a lookup that fails): {@code limit} and {@code cursor} then do not apply.
     */
    @GetMapping
    Page<EntryResource> list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable String number,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        var page = PageRequest.of(limit, cursor);
        if (number != null) {
            var entry = list.find(tenant, parameter("number", number));
            return new Page<>(entry.map(EntryResource::of).stream().toList(), false, null);
        }
        return list.list(tenant, page).map(EntryResource::of);
    }

    @DeleteMapping("/{number}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(Tenant tenant, @PathVariable String number) {
        list.remove(tenant, parameter("number", number));
    }

    /**
     * A CSV body read as it arrives: it is never held in memory whole. The {@code charset} of the
     * Content-Type is honoured; UTF-8 otherwise.
     */
    @PostMapping(path = "/import", consumes = "text/csv")
    ImportResponse importCsv(
            Tenant tenant, HttpServletRequest request, @RequestParam(required = false) @Nullable String reason)
            throws IOException {
        RequestValidator.reject(validator.violations(new ImportOptions(reason)));
        try (var reader = TextUploads.reader(request)) {
            return ImportResponse.of(list.importCsv(tenant.organizationId(), reader, reason));
        }
    }

    /** A number from the path or query string; an unencoded '+' decoded to a space is read as the '+' it was. */
    private static String parameter(String name, String value) {
        var raw = !value.isEmpty() && value.charAt(0) == ' ' ? "+" + value.strip() : value.strip();
        try {
            return E164.parse(name, raw);
        } catch (E164.InvalidNumber e) {
            throw ApiException.badRequest("INVALID_PARAMETER", e.getMessage());
        }
    }

    /** Numbers to put on the list, with an optional note why (the same for all). */
    record AddRequest(
            @NotNull(message = "is required") @Size(min = 1, max = DoNotCallList.MAX_NUMBERS_PER_REQUEST, message = "must hold 1 to 1000 numbers") List<@Nullable String> numbers,

            @Nullable @Size(max = 255, message = "must be at most 255 characters") @SingleLine
            String reason)
            implements RequestValidator.Checked {

        @Override
        public List<FieldViolation> check() {
            var violations = new ArrayList<FieldViolation>();
            if (numbers == null || numbers.size() > DoNotCallList.MAX_NUMBERS_PER_REQUEST) {
                return violations;
            }
            for (int i = 0; i < numbers.size(); i++) {
                var field = "numbers[" + i + "]";
                var number = numbers.get(i);
                if (number == null) {
                    violations.add(new FieldViolation(field, "must be a phone number in E.164 format, not null"));
                    continue;
                }
                try {
                    E164.parse(field, number);
                } catch (E164.InvalidNumber e) {
                    violations.add(new FieldViolation(field, e.getMessage()));
                }
            }
            return violations;
        }
    }

    record ImportOptions(
            @Nullable @Size(max = 255, message = "must be at most 255 characters") @SingleLine
            String reason) {}

    /**
     * A number on the list.
     *
     * @param reason why it was listed, as the client said; null when not given
     * @param source {@code api} (POST /dnc), {@code import} (POST /dnc/import) or {@code agent} (the
     *     callee opted out to the agent)
     */
    record EntryResource(String number, @Nullable String reason, DncSource source, Instant createdAt) {

        static EntryResource of(DncEntry entry) {
            return new EntryResource(entry.number(), entry.reason(), entry.source(), entry.createdAt());
        }
    }

    /**
     * What {@code POST /dnc} did.
     *
     * @param added numbers newly listed
     * @param alreadyListed numbers that were listed before (or were sent twice); their entries are unchanged
     * @param entries each number sent, as its entry now stands
     */
    record AddResponse(int added, int alreadyListed, List<EntryResource> entries) {}

    /**
     * What an import did.
     *
     * @param rows data rows read (header and blank lines not counted)
     * @param added numbers newly listed
     * @param alreadyListed valid rows whose number was listed already, or earlier in the file
     * @param invalid rows without a valid number
     * @param errors the first 1000 invalid rows, by line
     * @param errorsTruncated whether more rows were invalid than {@code errors} lists
     */
    record ImportResponse(
            long rows,
            long added,
            long alreadyListed,
            long invalid,
            List<ImportError> errors,
            boolean errorsTruncated) {

        static ImportResponse of(DncImport result) {
            return new ImportResponse(
                    result.rows(),
                    result.added(),
                    result.alreadyListed(),
                    result.invalid(),
                    result.errors().stream()
                            .map(e -> new ImportError(e.line(), e.value(), e.detail()))
                            .toList(),
                    result.invalid() > result.errors().size());
        }
    }

    /**
     * One refused row.
     *
     * @param line the row's line in the file, counting from 1 (the header is line 1 when there is one)
     * @param value the value read, cut to 64 characters
     * @param detail what is wrong with it
     */
    record ImportError(long line, String value, String detail) {}
}
