package dev.dialplane.calls;

import dev.dialplane.orgs.Tenant;
import java.util.Map;

/**
 * {@code POST /calls/outbound}'s body, read and validated exactly as that route does, for another
 * door into placing a call (Studio's form): one set of rules, one set of messages. Implemented by
 * the route itself (calls.web).
 */
public interface OutboundCallRequests {

    /**
     * The call the body asks for, ready for {@link CallService#place}.
     *
     * @param body the JSON body's fields by their snake_case names, as the route takes them
     * @throws dev.dialplane.common.ApiException the route's 422 listing every bad field
     */
    PlaceCall read(Tenant tenant, Map<String, Object> body);
}
