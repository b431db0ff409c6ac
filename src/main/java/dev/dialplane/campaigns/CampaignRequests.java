package dev.dialplane.campaigns;

import java.util.Map;

/**
 * {@code POST /campaigns}'s body, read and validated exactly as that route does, for another door
 * into creating a campaign (Studio's form): one set of rules, one set of messages. Implemented by
 * the route itself (campaigns.web).
 */
public interface CampaignRequests {

    /**
     * The draft the body asks for, without targets: they are appended afterwards, as
     * {@code POST /campaigns/{id}/targets} appends them ({@link CampaignTargets#append}). Every other
     * field takes the route's defaults, ranges and messages; the campaign is stored as a draft.
     *
     * @param body the JSON body's fields by their snake_case names, as the route takes them
     * @throws dev.dialplane.common.ApiException the route's 422 listing every bad field
     */
    CampaignDraft readDraft(Map<String, Object> body);
}
