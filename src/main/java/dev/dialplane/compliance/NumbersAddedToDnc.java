package dev.dialplane.compliance;

import java.util.List;
import java.util.UUID;

/**
 * Numbers were put on an organization's do-not-call list (published in the transaction that
 * stored them; an import publishes one event per batch). Calls to them that have not started are
 * canceled by whoever owns calls: compliance does not depend on calls.
 *
 * @param numbers E.164 numbers, each once; some may have been listed already
 */
public record NumbersAddedToDnc(UUID organizationId, List<String> numbers) {

    public NumbersAddedToDnc {
        numbers = List.copyOf(numbers);
    }
}
