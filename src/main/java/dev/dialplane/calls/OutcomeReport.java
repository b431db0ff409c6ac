package dev.dialplane.calls;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One report of what the agent learned about a call: only the fields it gave (the others are
 * null and left out of its JSON). Already validated.
 *
 * @param sentimentScore from -1 (negative) to 1 (positive)
 * @param languageDetected a BCP 47 language tag, in its canonical form
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutcomeReport(
        @Nullable AnsweredBy answeredBy,
        @Nullable String disposition,
        @Nullable String summary,
        @Nullable Double sentimentScore,
        @Nullable String languageDetected) {

    /** The disposition that puts the callee's number on the organization's do-not-call list. */
    public static final String DO_NOT_CALL = "do_not_call";

    public boolean givesNothing() {
        return answeredBy == null
                && disposition == null
                && summary == null
                && sentimentScore == null
                && languageDetected == null;
    }

    /** A short line for the call's event: which fields were given (never the summary's text). */
    String describe() {
        var given = new java.util.ArrayList<String>();
        if (answeredBy != null) {
            given.add("answered_by=" + answeredBy);
        }
        if (disposition != null) {
            given.add("disposition=" + disposition);
        }
        if (summary != null) {
            given.add("summary");
        }
        if (sentimentScore != null) {
            given.add("sentiment_score=" + sentimentScore);
        }
        if (languageDetected != null) {
            given.add("language_detected=" + languageDetected);
        }
        return String.join(", ", given);
    }
}
