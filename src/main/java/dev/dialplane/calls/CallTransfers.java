package dev.dialplane.calls;

import dev.dialplane.orgs.Tenant;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /calls/{id}/transfer}, body read and checked exactly as that route does, for another
 * door into transferring a call (Studio's call page): one set of rules, one set of messages.
 * Implemented by the route itself (calls.web).
 */
public interface CallTransfers {

    /**
     * Transfers the call as the route would.
     *
     * @param body the JSON body's fields by their snake_case names ({@code transfer_to},
     *     {@code transfer_type}, {@code play_dialtone})
     * @throws dev.dialplane.common.ApiException the route's 4xx (or 5xx) in its own words
     */
    Call transfer(Tenant tenant, UUID id, Map<String, Object> body);
}
