package dev.dialplane.trunks;

import java.util.Map;

/**
 * {@code POST /sip-trunks}'s body, read and validated exactly as that route does, for another door
 * into creating or replacing a trunk (Studio's form): one set of rules, one set of messages.
 * Implemented by the route itself (trunks.web).
 */
public interface TrunkRequests {

    /**
     * The trunk the body describes, ready for {@link TrunkService#create} or {@link TrunkService#update}.
     * The password is write-only: a body without {@code password} keeps the stored one.
     *
     * @param body the JSON body's fields by their snake_case names, as the route takes them
     * @throws dev.dialplane.common.ApiException the route's 422 listing every bad field
     */
    TrunkDraft read(Map<String, Object> body);
}
