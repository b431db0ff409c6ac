package dev.dialplane.calls;

import org.jspecify.annotations.Nullable;

/**
 * Published inside the transaction that changed a call's status, with the call as it now is and
 * the event's sequence number. Listeners that must not lose it (the webhook outbox) write in the
 * same transaction; others listen after commit.
 */
public record CallStatusChanged(Call call, @Nullable CallStatus previous, int sequence) {}
