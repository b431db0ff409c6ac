package dev.dialplane.calls;

/**
 * Published inside the transaction that stored an outcome report, with the call, what is now
 * known of its outcome, and the report's sequence number in the call's events (the webhook outbox
 * writes its deliveries in that transaction).
 */
public record CallOutcomeReported(Call call, CallOutcome outcome, int sequence) {}
