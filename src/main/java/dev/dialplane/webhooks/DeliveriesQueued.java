package dev.dialplane.webhooks;

/**
 * Deliveries became due in the current transaction; once it commits the worker is woken so the
 * client hears of the event at once rather than at the next poll.
 */
record DeliveriesQueued(int count) {}
