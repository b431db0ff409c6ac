package dev.dialplane.calls;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the agent has reported about a call so far: for each field, the value of the latest report
 * that gave it (a report's absent fields keep their earlier values).
 *
 * @param reportedAt when the latest report arrived
 */
public record CallOutcome(
        UUID callId,
        @Nullable AnsweredBy answeredBy,
        @Nullable String disposition,
        @Nullable String summary,
        @Nullable Double sentimentScore,
        @Nullable String languageDetected,
        Instant reportedAt) {

    /** {@code previous} (null before the first report) with the fields {@code report} gives. */
    static CallOutcome merge(UUID callId, @Nullable CallOutcome previous, OutcomeReport report, Instant now) {
        if (previous == null) {
            return new CallOutcome(
                    callId,
                    report.answeredBy(),
                    report.disposition(),
                    report.summary(),
                    report.sentimentScore(),
                    report.languageDetected(),
                    now);
        }
        return new CallOutcome(
                callId,
                report.answeredBy() != null ? report.answeredBy() : previous.answeredBy(),
                report.disposition() != null ? report.disposition() : previous.disposition(),
                report.summary() != null ? report.summary() : previous.summary(),
                report.sentimentScore() != null ? report.sentimentScore() : previous.sentimentScore(),
                report.languageDetected() != null ? report.languageDetected() : previous.languageDetected(),
                now);
    }
}
