package dev.dialplane.campaigns;

import dev.dialplane.orgs.Tenant;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A campaign's results as CSV, written as they are read (a million rows never sit in memory): row,
 * numbers, status, attempts, last call, its end reason, duration, cost and disposition, the error,
 * and the context (the contact's variables) as JSON. One writer for every door that serves it
 * ({@code GET /campaigns/{id}/results.csv} and Studio's download).
 */
@Component
public class CampaignResultsCsv {

    private final CampaignService campaigns;

    CampaignResultsCsv(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    /** The download's file name. */
    public static String filename(UUID id) {
        return "campaign-" + id + "-results.csv";
    }

    /**
     * Checks the campaign is the tenant's, before anything is written.
     *
     * @throws dev.dialplane.common.ApiException 404 CAMPAIGN_NOT_FOUND
     */
    public void require(Tenant tenant, UUID id) {
        campaigns.requireCampaign(tenant, id);
    }

    /** Writes the header and every contact's result to {@code out} in UTF-8, in row order. */
    public void write(Tenant tenant, UUID id, OutputStream out) throws IOException {
        var writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        var printer = new CSVPrinter(
                writer, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get());
        printer.printRecord(
                "row",
                "to_number",
                "from_number",
                "status",
                "attempts",
                "last_call_id",
                "last_end_reason",
                "duration_seconds",
                "cost",
                "disposition",
                "error",
                "context");
        campaigns.results(tenant, id, stretch -> {
            try {
                for (var result : stretch) {
                    print(printer, result);
                }
                printer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        printer.flush();
    }

    private static void print(CSVPrinter printer, CampaignResult result) throws IOException {
        var contact = result.contact();
        printer.printRecord(
                contact.row(),
                contact.toNumber(),
                text(contact.fromNumber()),
                contact.status(),
                contact.attempts(),
                text(contact.lastCallId()),
                text(contact.lastEndReason()),
                text(result.durationSeconds()),
                result.cost() == null ? "" : result.cost().stripTrailingZeros().toPlainString(),
                text(result.disposition()),
                text(contact.lastError()),
                text(contact.context()));
    }

    private static String text(@Nullable Object value) {
        return value == null ? "" : value.toString();
    }
}
