package dev.dialplane.compliance;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A number on an organization's do-not-call list.
 *
 * @param id orders the list's pages only; a number is the entry's identity
 */
public record DncEntry(UUID id, String number, @Nullable String reason, DncSource source, Instant createdAt) {}
