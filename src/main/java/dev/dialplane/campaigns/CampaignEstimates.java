package dev.dialplane.campaigns;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * What a campaign will cost and how long it will run, before it starts. Dialplane cannot know how
 * many callees answer or how long they talk, so both rest on stated assumptions (the README's
 * "Batch calling" lists them): every contact is called once and billed
 * {@value #ASSUMED_BILLED_MINUTES} minutes, and every call takes {@link #ASSUMED_CALL_LENGTH} from
 * dial to hang-up, {@code concurrency} at a time. Retries, unanswered calls and calling windows make
 * the real figures differ either way.
 */
public final class CampaignEstimates {

    /** Billed minutes assumed per contact: one answered call of average length. */
    public static final int ASSUMED_BILLED_MINUTES = 2;
    /** Dial to hang-up, assumed per call, ringing included. */
    public static final Duration ASSUMED_CALL_LENGTH = Duration.ofMinutes(2);

    private CampaignEstimates() {}

    /**
     * @param cost credits: contacts × {@value #ASSUMED_BILLED_MINUTES} minutes × the rate per minute
     * @param duration ceil(contacts / concurrency) rounds of {@link #ASSUMED_CALL_LENGTH}
     */
    public record Estimate(BigDecimal cost, Duration duration) {

        /** TalkifAI's form: {@code "2h 30m"}, {@code "45m"}. */
        public String durationText() {
            var minutes = duration.toMinutes();
            return minutes >= 60 ? (minutes / 60) + "h " + (minutes % 60) + "m" : minutes + "m";
        }

        /** TalkifAI's form: {@code "$3.50"} (a credit is a dollar), rounded up to the cent. */
        public String costText() {
            return "$" + cost.setScale(2, RoundingMode.CEILING).toPlainString();
        }
    }

    public static Estimate of(long contacts, int concurrency, BigDecimal ratePerMinute) {
        var cost = ratePerMinute.multiply(BigDecimal.valueOf(contacts * ASSUMED_BILLED_MINUTES));
        var rounds = (contacts + concurrency - 1) / Math.max(1, concurrency);
        return new Estimate(cost, ASSUMED_CALL_LENGTH.multipliedBy(rounds));
    }

    /** The least a campaign needs to hold before it is accepted: one minute per contact. */
    public static BigDecimal minimumCredits(long contacts, BigDecimal ratePerMinute) {
        return ratePerMinute.multiply(BigDecimal.valueOf(contacts));
    }
}
