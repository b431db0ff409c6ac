package dev.dialplane.calls;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code POST /calls/outbound} would do with a request, found by the same checks without
 * storing or dialing anything ({@code POST /calls/preflight}).
 *
 * @param would {@code dial_now}, {@code queue}, {@code schedule} or {@code refuse}
 * @param reasons every check the request fails, each with the code and detail the real request
 *     would answer with (it answers with the first)
 * @param calleeLocalTime the callee's local time (first zone) now, or when a scheduled call is due
 * @param nextAllowedAt when a call refused for the calling window or an attempt cap would be allowed
 * @param estimatedStartAt when the call should start: now, when a scheduled call is due, or a queued
 *     call's estimate on a rate-limited trunk; null when refused or not known
 * @param queuePosition a queued call's place in its trunk's queue
 * @param ratePerMinute the organization's rate, in credits per answered minute
 */
public record Preflight(
        boolean allowed,
        String would,
        List<Reason> reasons,
        List<String> calleeTimezones,
        @Nullable String calleeLocalTime,
        @Nullable Instant nextAllowedAt,
        @Nullable Instant estimatedStartAt,
        @Nullable Long queuePosition,
        BigDecimal ratePerMinute) {

    public static final String DIAL_NOW = "dial_now";
    public static final String QUEUE = "queue";
    public static final String SCHEDULE = "schedule";
    public static final String REFUSE = "refuse";

    public record Reason(String code, String detail) {}
}
