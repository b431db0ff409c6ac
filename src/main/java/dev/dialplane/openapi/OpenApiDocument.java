package dev.dialplane.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.callbacks.Callback;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Makes the generated document say what the API really does, in one place rather than on every
 * handler: each operation's id, security scheme, content types and headers, every error status it
 * can answer with its body (problem+json, or TalkifAI's envelope on {@code /telephony/}), which
 * response fields are always present, and the MrAssistant request's defaults as that vendor
 * documents them. The integration tests check every response they receive against the result.
 */
final class OpenApiDocument implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";
    static final String MRASSISTANT_VALIDATION_PROBLEM = "MrAssistantValidationProblem";
    static final String TALKIFAI_ERROR = "TalkifaiError";
    static final String PROBLEM_JSON = "application/problem+json";
    static final String JSON = "application/json";
    static final String API_KEY = "apiKey";
    static final String API_KEY_HEADER = "apiKeyHeader";
    static final String ADMIN_TOKEN = "adminToken";
    static final String REPORT_TOKEN = "reportToken";
    static final String OUTCOME_ROUTE = "/calls/{id}/outcome";

    /** Operation ids by "METHOD path": the generated ones are handler names ({@code create_4}). */
    static final Map<String, String> OPERATION_IDS = Map.ofEntries(
            Map.entry("POST /telephony/outbound-call", "placeTalkifaiCall"),
            Map.entry("POST /calls/outbound", "placeCall"),
            Map.entry("POST /calls/preflight", "preflightCall"),
            Map.entry("GET /calls", "listCalls"),
            Map.entry("GET /calls/{id}", "getCall"),
            Map.entry("GET /calls/{id}/events", "listCallEvents"),
            Map.entry("POST /calls/{id}/hangup", "hangUpCall"),
            Map.entry("POST /calls/{id}/end", "endCall"),
            Map.entry("GET /calls/agent/{agent_id}/calls", "listAgentCalls"),
            Map.entry("POST /calls/{id}/transfer", "transferCall"),
            Map.entry("POST /calls/{id}/outcome", "reportCallOutcome"),
            Map.entry("POST /campaigns", "createCampaign"),
            Map.entry("GET /campaigns", "listCampaigns"),
            Map.entry("GET /campaigns/{id}", "getCampaign"),
            Map.entry("POST /campaigns/{id}/start", "startCampaign"),
            Map.entry("POST /campaigns/{id}/pause", "pauseCampaign"),
            Map.entry("POST /batch/create", "createBatchJob"),
            Map.entry("GET /batch/jobs", "listBatchJobs"),
            Map.entry("GET /batch/jobs/{id}", "getBatchJob"),
            Map.entry("POST /batch/jobs/{id}/start", "startBatchJob"),
            Map.entry("POST /batch/jobs/{id}/cancel", "cancelBatchJob"),
            Map.entry("PATCH /batch/jobs/{id}/reschedule", "rescheduleBatchJob"),
            Map.entry("POST /batch/jobs/{id}/reschedule", "rescheduleBatchJobByPost"),
            Map.entry("POST /campaigns/{id}/resume", "resumeCampaign"),
            Map.entry("POST /campaigns/{id}/cancel", "cancelCampaign"),
            Map.entry("POST /campaigns/{id}/targets", "appendCampaignTargets"),
            Map.entry("GET /campaigns/{id}/contacts", "listCampaignContacts"),
            Map.entry("GET /campaigns/{id}/progress", "getCampaignProgress"),
            Map.entry("GET /campaigns/{id}/results.csv", "getCampaignResults"),
            Map.entry("GET /campaigns/{id}/events", "listCampaignEvents"),
            Map.entry("GET /campaigns/{campaignId}/webhook-deliveries", "listCampaignWebhookDeliveries"),
            Map.entry("GET /campaigns/{campaignId}/webhook-deliveries/{deliveryId}", "getCampaignWebhookDelivery"),
            Map.entry("GET /credits", "getCredits"),
            Map.entry("GET /compliance-policy", "getCompliancePolicy"),
            Map.entry("PUT /compliance-policy", "updateCompliancePolicy"),
            Map.entry("GET /compliance-policy/history", "listCompliancePolicyChanges"),
            Map.entry("POST /dnc", "addDncNumbers"),
            Map.entry("GET /dnc", "listDncEntries"),
            Map.entry("DELETE /dnc/{number}", "removeDncNumber"),
            Map.entry("POST /dnc/import", "importDncNumbers"),
            Map.entry("POST /agents", "createAgent"),
            Map.entry("GET /agents", "listAgents"),
            Map.entry("GET /agents/{id}", "getAgent"),
            Map.entry("PATCH /agents/{id}", "updateAgent"),
            Map.entry("DELETE /agents/{id}", "deleteAgent"),
            Map.entry("POST /sip-trunks", "createSipTrunk"),
            Map.entry("GET /sip-trunks", "listSipTrunks"),
            Map.entry("GET /sip-trunks/{id}", "getSipTrunk"),
            Map.entry("PATCH /sip-trunks/{id}", "updateSipTrunk"),
            Map.entry("DELETE /sip-trunks/{id}", "deleteSipTrunk"),
            Map.entry("POST /phone-numbers", "createPhoneNumber"),
            Map.entry("GET /phone-numbers", "listPhoneNumbers"),
            Map.entry("GET /phone-numbers/{id}", "getPhoneNumber"),
            Map.entry("PATCH /phone-numbers/{id}", "updatePhoneNumber"),
            Map.entry("DELETE /phone-numbers/{id}", "deletePhoneNumber"),
            Map.entry("POST /api-keys", "createApiKey"),
            Map.entry("GET /api-keys", "listApiKeys"),
            Map.entry("GET /api-keys/{id}", "getApiKey"),
            Map.entry("DELETE /api-keys/{id}", "revokeApiKey"),
            Map.entry("POST /members", "createMember"),
            Map.entry("GET /members", "listMembers"),
            Map.entry("GET /members/{id}", "getMember"),
            Map.entry("DELETE /members/{id}", "removeMember"),
            Map.entry("POST /webhook-endpoints", "createWebhookEndpoint"),
            Map.entry("GET /webhook-endpoints", "listWebhookEndpoints"),
            Map.entry("GET /webhook-endpoints/{id}", "getWebhookEndpoint"),
            Map.entry("PATCH /webhook-endpoints/{id}", "updateWebhookEndpoint"),
            Map.entry("DELETE /webhook-endpoints/{id}", "deleteWebhookEndpoint"),
            Map.entry("POST /webhook-endpoints/{id}/rotate-secret", "rotateWebhookEndpointSecret"),
            Map.entry("GET /webhook-endpoints/{endpointId}/deliveries", "listWebhookDeliveries"),
            Map.entry("GET /webhook-endpoints/{endpointId}/deliveries/{deliveryId}", "getWebhookDelivery"),
            Map.entry(
                    "POST /webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver",
                    "redeliverWebhookDelivery"),
            Map.entry("POST /admin/organizations", "createOrganization"),
            Map.entry("GET /admin/organizations/{id}", "getOrganization"),
            Map.entry("PATCH /admin/organizations/{id}", "updateOrganization"),
            Map.entry("POST /admin/organizations/{id}/credits", "addOrganizationCredits"),
            Map.entry("POST /admin/sip-trunks", "createSharedSipTrunk"),
            Map.entry("GET /admin/sip-trunks", "listSharedSipTrunks"),
            Map.entry("GET /admin/sip-trunks/{id}", "getSharedSipTrunk"),
            Map.entry("PATCH /admin/sip-trunks/{id}", "updateSharedSipTrunk"),
            Map.entry("DELETE /admin/sip-trunks/{id}", "deleteSharedSipTrunk"),
            Map.entry("POST /webhooks/livekit", "receiveLiveKitWebhook"),
            Map.entry("GET /livez", "getLiveness"),
            Map.entry("GET /readyz", "getReadiness"));

    private static final Map<Integer, List<String>> BATCH_RESCHEDULE_ERRORS = Map.of(
            400, List.of("validation_error", "invalid_timezone", "past_scheduled_time"),
            404, List.of("not_found"),
            409, List.of("CAMPAIGN_STATE_CONFLICT", "CAMPAIGN_ENDED"));

    /** Errors particular to an operation, beyond those every operation of its kind has. */
    private static final Map<String, Map<Integer, List<String>>> ROUTE_ERRORS = Map.ofEntries(
            Map.entry(
                    "placeTalkifaiCall",
                    Map.of(
                            400,
                                    List.of(
                                            "INVALID_PHONE_NUMBER",
                                            "MISSING_PARAMETER",
                                            "NO_OUTBOUND_AGENT",
                                            "TEXT_AGENT_NOT_SUPPORTED",
                                            "INVALID_DESTINATION",
                                            "INVALID_IDEMPOTENCY_KEY",
                                            "OUTSIDE_CALLING_WINDOW",
                                            "CALLEE_TIMEZONE_UNKNOWN",
                                            "NUMBER_BLOCKED"),
                            402, List.of("INSUFFICIENT_CREDITS"),
                            404, List.of("PHONE_NUMBER_NOT_FOUND"),
                            408, List.of("CALL_TIMEOUT"),
                            409,
                                    List.of(
                                            "CALL_BUSY",
                                            "CALL_DECLINED",
                                            "CALL_CANCELED",
                                            "TOO_MANY_CALLS",
                                            "IDEMPOTENCY_KEY_IN_USE"),
                            422, List.of("IDEMPOTENCY_KEY_REUSED"),
                            429, List.of("ATTEMPT_LIMIT_REACHED"),
                            502, List.of("CARRIER_ERROR", "TELEPHONY_ERROR"),
                            503, List.of("TELEPHONY_UNAVAILABLE"))),
            Map.entry(
                    "placeCall",
                    Map.of(
                            400, List.of("TEXT_AGENT_NOT_SUPPORTED", "NO_CALLER_NUMBER", "INVALID_IDEMPOTENCY_KEY"),
                            402, List.of("INSUFFICIENT_CREDITS"),
                            404, List.of("AGENT_NOT_FOUND", "PHONE_NUMBER_NOT_FOUND"),
                            409, List.of("TOO_MANY_CALLS", "IDEMPOTENCY_KEY_IN_USE"),
                            422,
                                    List.of(
                                            "IDEMPOTENCY_KEY_REUSED",
                                            "OUTSIDE_CALLING_WINDOW",
                                            "CALLEE_TIMEZONE_UNKNOWN",
                                            "SCHEDULE_UNREACHABLE",
                                            "NUMBER_ON_DNC"),
                            429, List.of("ATTEMPT_LIMIT_REACHED"),
                            503, List.of("TELEPHONY_UNAVAILABLE"))),
            Map.entry("getCall", Map.of(404, List.of("CALL_NOT_FOUND"))),
            Map.entry(
                    "createCampaign",
                    Map.of(400, List.of("TEXT_AGENT_NOT_SUPPORTED"), 404, List.of("AGENT_NOT_FOUND"))),
            Map.entry("getCampaign", Map.of(404, List.of("CAMPAIGN_NOT_FOUND"))),
            Map.entry(
                    "appendCampaignTargets",
                    Map.of(
                            400,
                            List.of("MALFORMED_CSV", "MISSING_NUMBER_COLUMN"),
                            404,
                            List.of("CAMPAIGN_NOT_FOUND"),
                            409,
                            List.of("CAMPAIGN_ENDED"),
                            413,
                            List.of("CAMPAIGN_TOO_LARGE"))),
            Map.entry("listCampaignContacts", Map.of(404, List.of("CAMPAIGN_NOT_FOUND"))),
            Map.entry("getCampaignProgress", Map.of(404, List.of("CAMPAIGN_NOT_FOUND"))),
            Map.entry("getCampaignResults", Map.of(404, List.of("CAMPAIGN_NOT_FOUND"))),
            Map.entry(
                    "startCampaign",
                    Map.of(
                            404,
                            List.of("CAMPAIGN_NOT_FOUND"),
                            409,
                            List.of("CAMPAIGN_STATE_CONFLICT", "CAMPAIGN_ENDED"))),
            Map.entry(
                    "createBatchJob",
                    Map.of(
                            400,
                                    List.of(
                                            "validation_error",
                                            "too_many_contacts",
                                            "invalid_timezone",
                                            "past_scheduled_time",
                                            "invalid_phone_format",
                                            "duplicate_phone",
                                            "invalid_csv",
                                            "no_outbound_agent",
                                            "TEXT_AGENT_NOT_SUPPORTED"),
                            402, List.of("insufficient_credits"),
                            404, List.of("not_found"),
                            413, List.of("file_too_large"))),
            Map.entry("listBatchJobs", Map.of(400, List.of("validation_error"), 404, List.of("not_found"))),
            Map.entry("getBatchJob", Map.of(400, List.of("validation_error"), 404, List.of("not_found"))),
            Map.entry(
                    "startBatchJob",
                    Map.of(404, List.of("not_found"), 409, List.of("CAMPAIGN_STATE_CONFLICT", "CAMPAIGN_ENDED"))),
            Map.entry("cancelBatchJob", Map.of(404, List.of("not_found"), 409, List.of("CAMPAIGN_ENDED"))),
            Map.entry("rescheduleBatchJob", BATCH_RESCHEDULE_ERRORS),
            Map.entry("rescheduleBatchJobByPost", BATCH_RESCHEDULE_ERRORS),
            Map.entry(
                    "pauseCampaign",
                    Map.of(
                            404,
                            List.of("CAMPAIGN_NOT_FOUND"),
                            409,
                            List.of("CAMPAIGN_STATE_CONFLICT", "CAMPAIGN_ENDED"))),
            Map.entry(
                    "resumeCampaign",
                    Map.of(
                            404,
                            List.of("CAMPAIGN_NOT_FOUND"),
                            409,
                            List.of("CAMPAIGN_STATE_CONFLICT", "CAMPAIGN_ENDED"))),
            Map.entry("cancelCampaign", Map.of(404, List.of("CAMPAIGN_NOT_FOUND"), 409, List.of("CAMPAIGN_ENDED"))),
            Map.entry("listCampaignEvents", Map.of(404, List.of("CAMPAIGN_NOT_FOUND"))),
            Map.entry("listCampaignWebhookDeliveries", Map.of(404, List.of("CAMPAIGN_NOT_FOUND"))),
            Map.entry(
                    "getCampaignWebhookDelivery",
                    Map.of(404, List.of("CAMPAIGN_NOT_FOUND", "WEBHOOK_DELIVERY_NOT_FOUND"))),
            Map.entry("removeDncNumber", Map.of(404, List.of("DNC_ENTRY_NOT_FOUND"))),
            Map.entry("importDncNumbers", Map.of(400, List.of("MALFORMED_CSV"), 413, List.of("IMPORT_TOO_LARGE"))),
            Map.entry(
                    "reportCallOutcome", Map.of(401, List.of("REPORT_TOKEN_EXPIRED"), 404, List.of("CALL_NOT_FOUND"))),
            Map.entry("listCallEvents", Map.of(404, List.of("CALL_NOT_FOUND"))),
            Map.entry(
                    "hangUpCall",
                    Map.of(
                            404,
                            List.of("CALL_NOT_FOUND"),
                            409,
                            List.of("CALL_ALREADY_ENDED"),
                            503,
                            List.of("TELEPHONY_UNAVAILABLE"))),
            Map.entry(
                    "endCall",
                    Map.of(
                            404,
                            List.of("CALL_NOT_FOUND"),
                            409,
                            List.of("CALL_ALREADY_ENDED"),
                            503,
                            List.of("TELEPHONY_UNAVAILABLE"))),
            Map.entry(
                    "transferCall",
                    Map.of(
                            404, List.of("CALL_NOT_FOUND"),
                            409, List.of("CALL_ALREADY_ENDED", "CALL_NOT_ANSWERED"),
                            422, List.of("WARM_TRANSFER_NOT_SUPPORTED"),
                            502, List.of("TRANSFER_FAILED"),
                            503, List.of("TELEPHONY_UNAVAILABLE"))),
            Map.entry("listAgentCalls", Map.of(404, List.of("AGENT_NOT_FOUND"))),
            Map.entry("getAgent", Map.of(404, List.of("AGENT_NOT_FOUND"))),
            Map.entry("updateAgent", Map.of(404, List.of("AGENT_NOT_FOUND"))),
            Map.entry("deleteAgent", Map.of(404, List.of("AGENT_NOT_FOUND"), 409, List.of("AGENT_IN_USE"))),
            Map.entry("getSipTrunk", Map.of(404, List.of("SIP_TRUNK_NOT_FOUND"))),
            Map.entry("updateSipTrunk", Map.of(404, List.of("SIP_TRUNK_NOT_FOUND"), 403, List.of("SHARED_TRUNK"))),
            Map.entry(
                    "deleteSipTrunk",
                    Map.of(
                            404,
                            List.of("SIP_TRUNK_NOT_FOUND"),
                            403,
                            List.of("SHARED_TRUNK"),
                            409,
                            List.of("SIP_TRUNK_IN_USE"))),
            Map.entry("getSharedSipTrunk", Map.of(404, List.of("SIP_TRUNK_NOT_FOUND"))),
            Map.entry("updateSharedSipTrunk", Map.of(404, List.of("SIP_TRUNK_NOT_FOUND"))),
            Map.entry(
                    "deleteSharedSipTrunk",
                    Map.of(404, List.of("SIP_TRUNK_NOT_FOUND"), 409, List.of("SIP_TRUNK_IN_USE"))),
            Map.entry(
                    "createPhoneNumber",
                    Map.of(
                            404, List.of("SIP_TRUNK_NOT_FOUND", "AGENT_NOT_FOUND"),
                            409, List.of("PHONE_NUMBER_EXISTS", "NUMBER_ALREADY_REGISTERED"))),
            Map.entry("getPhoneNumber", Map.of(404, List.of("PHONE_NUMBER_NOT_FOUND"))),
            Map.entry(
                    "updatePhoneNumber",
                    Map.of(
                            404, List.of("PHONE_NUMBER_NOT_FOUND", "SIP_TRUNK_NOT_FOUND", "AGENT_NOT_FOUND"),
                            409, List.of("PHONE_NUMBER_EXISTS", "NUMBER_ALREADY_REGISTERED"))),
            Map.entry("deletePhoneNumber", Map.of(404, List.of("PHONE_NUMBER_NOT_FOUND"))),
            Map.entry("getApiKey", Map.of(404, List.of("API_KEY_NOT_FOUND"))),
            Map.entry("revokeApiKey", Map.of(404, List.of("API_KEY_NOT_FOUND"), 409, List.of("LAST_API_KEY"))),
            Map.entry("createWebhookEndpoint", Map.of(409, List.of("TOO_MANY_WEBHOOK_ENDPOINTS"))),
            Map.entry("getWebhookEndpoint", Map.of(404, List.of("WEBHOOK_ENDPOINT_NOT_FOUND"))),
            Map.entry("updateWebhookEndpoint", Map.of(404, List.of("WEBHOOK_ENDPOINT_NOT_FOUND"))),
            Map.entry("deleteWebhookEndpoint", Map.of(404, List.of("WEBHOOK_ENDPOINT_NOT_FOUND"))),
            Map.entry("rotateWebhookEndpointSecret", Map.of(404, List.of("WEBHOOK_ENDPOINT_NOT_FOUND"))),
            Map.entry("listWebhookDeliveries", Map.of(404, List.of("WEBHOOK_ENDPOINT_NOT_FOUND"))),
            Map.entry(
                    "getWebhookDelivery",
                    Map.of(404, List.of("WEBHOOK_ENDPOINT_NOT_FOUND", "WEBHOOK_DELIVERY_NOT_FOUND"))),
            Map.entry(
                    "redeliverWebhookDelivery",
                    Map.of(
                            404, List.of("WEBHOOK_ENDPOINT_NOT_FOUND", "WEBHOOK_DELIVERY_NOT_FOUND"),
                            409, List.of("WEBHOOK_ENDPOINT_DISABLED"))),
            Map.entry("createOrganization", Map.of(409, List.of("MEMBER_EXISTS"))),
            Map.entry("createMember", Map.of(409, List.of("MEMBER_EXISTS"))),
            Map.entry("getMember", Map.of(404, List.of("MEMBER_NOT_FOUND"))),
            Map.entry("removeMember", Map.of(404, List.of("MEMBER_NOT_FOUND"), 409, List.of("LAST_OWNER"))),
            Map.entry("getOrganization", Map.of(404, List.of("ORGANIZATION_NOT_FOUND"))),
            Map.entry("updateOrganization", Map.of(404, List.of("ORGANIZATION_NOT_FOUND"))),
            Map.entry("addOrganizationCredits", Map.of(404, List.of("ORGANIZATION_NOT_FOUND"))));

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(402, "Payment Required"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(408, "Request Timeout"),
            Map.entry(409, "Conflict"),
            Map.entry(413, "Content Too Large"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(422, "Unprocessable Content"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"));

    /** MrAssistant's request defaults and descriptions, as its API reference states them. */
    private static final Map<String, Object[]> MRASSISTANT_FIELDS = Map.ofEntries(
            Map.entry(
                    "to_number", new Object[] {null, "Destination phone number (E.164 format, spaces auto-stripped)"}),
            Map.entry("from_number", new Object[] {
                null,
                "Caller ID (E.164 format, spaces auto-stripped); default: your number whose outbound agent is agent_id"
            }),
            Map.entry("context", new Object[] {
                Map.of(), "Additional call context/metadata: any JSON object, at most 16,000 characters as JSON"
            }),
            Map.entry("priority", new Object[] {"normal", "Call priority level"}),
            Map.entry("krisp_enabled", new Object[] {true, "Enable Krisp noise cancellation for this call"}),
            Map.entry("wait_until_answered", new Object[] {false, "Wait for call to be answered before returning"}),
            Map.entry("display_name", new Object[] {null, "Custom caller ID display name"}),
            Map.entry("dtmf", new Object[] {null, "DTMF tones to send after call connects (e.g., '*123#ww456')"}),
            Map.entry("play_dialtone", new Object[] {false, "Play dial tone while call is connecting"}),
            Map.entry("media_encryption", new Object[] {"ALLOW", "Media encryption level"}),
            Map.entry("ringing_timeout_seconds", new Object[] {80, "Max time to wait for answer (1-80 seconds)"}),
            Map.entry("max_call_duration_seconds", new Object[] {3600, "Maximum call duration"}),
            Map.entry("hide_phone_number", new Object[] {false, "Hide phone number from participant attributes"}),
            Map.entry("custom_headers", new Object[] {Map.of(), "Custom SIP X-* headers"}),
            Map.entry("record", new Object[] {false, "Dialplane's addition: record this call"}));

    /** Fields of MrAssistant's request that its reference types {@code string | null}; the rest are never null. */
    private static final Set<String> MRASSISTANT_NULLABLE = Set.of("from_number", "display_name", "dtmf");

    @Override
    public void customise(OpenAPI openApi) {
        var components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components);
        addErrorSchemas(components);
        // the container's error page (an ErrorController) is where errors are written, not a route to call
        openApi.getPaths().remove("/error");
        addProbes(openApi);
        fixModels(components);
        var responseModels = new HashSet<String>();
        openApi.getPaths()
                .forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                    var key = method.name() + " " + path;
                    // a route missing from the table keeps springdoc's id; OpenApiDocumentIntegrationTests fails on it
                    var id = OPERATION_IDS.getOrDefault(key, operation.getOperationId());
                    operation.setOperationId(id);
                    if (id.equals("placeTalkifaiCall") && operation.getParameters() != null) {
                        operation.getParameters().forEach(parameter -> {
                            if ("to_number".equals(parameter.getName())) {
                                parameter.setDescription("Destination phone number in E.164 format");
                            } else if ("from_number".equals(parameter.getName())) {
                                parameter.setDescription(
                                        "Your registered phone number in E.164 format; its outbound agent places the call");
                            }
                        });
                    }
                    if (id.equals("listDncEntries") || id.equals("removeDncNumber")) {
                        describeDncNumber(id, operation);
                    }
                    if (id.equals("listAgentCalls")) {
                        describeAgentCallsParameters(operation);
                    }
                    if (path.startsWith("/batch/")) {
                        describeBatchParameters(operation);
                    }
                    security(path, operation);
                    successes(path, id, operation, components, responseModels);
                    requestBody(path, method, operation, openApi);
                    errors(path, id, operation);
                }));
        webhookMessages(openApi, components, responseModels);
        requireAlwaysPresentFields(components, responseModels);
    }

    /**
     * What Dialplane POSTs to a client's webhook endpoint, as a callback of the route that
     * registers it (OpenAPI 3.0 has no top-level webhooks): {@code WebhookMessage}.
     */
    private static void webhookMessages(OpenAPI openApi, Components components, Set<String> responseModels) {
        var callData = new ObjectSchema()
                .addProperty(
                        "call", ref("CallView").description("The call as GET /calls/{id} showed it at that moment"))
                .addProperty(
                        "sequence", new IntegerSchema().description("The event's number in GET /calls/{id}/events"))
                .required(List.of("call", "sequence"));
        callData.setAdditionalProperties(false);
        components.addSchemas("CallEventData", callData);
        var creditLow = new ObjectSchema()
                .addProperty("organization_id", new StringSchema().format("uuid"))
                .addProperty("balance", new NumberSchema())
                .addProperty("threshold", new NumberSchema())
                .required(List.of("organization_id", "balance", "threshold"));
        creditLow.setAdditionalProperties(false);
        components.addSchemas("CreditLowData", creditLow);
        var campaignData = new ObjectSchema()
                .addProperty(
                        "campaign",
                        ref("CampaignView")
                                .description(
                                        "The campaign as GET /campaigns/{id} showed it right after the change, with its"
                                                + " counts by contact status"))
                .addProperty(
                        "event",
                        ref("CampaignEvent")
                                .description("The change: its entry in GET /campaigns/{id}/events (type, reason,"
                                        + " actor, sequence)"))
                .required(List.of("campaign", "event"));
        campaignData.setAdditionalProperties(false);
        components.addSchemas("CampaignEventData", campaignData);
        var message = new ObjectSchema()
                .description("A client webhook (Standard Webhooks): call.* events carry CallEventData, credit.low"
                        + " CreditLowData, campaign.* CampaignEventData")
                .addProperty(
                        "type",
                        new StringSchema()
                                ._enum(List.of(
                                        "call.scheduled",
                                        "call.queued",
                                        "call.dialing",
                                        "call.ringing",
                                        "call.answered",
                                        "call.completed",
                                        "call.failed",
                                        "call.outcome_reported",
                                        "credit.low",
                                        "campaign.started",
                                        "campaign.paused",
                                        "campaign.resumed",
                                        "campaign.completed",
                                        "campaign.canceled")))
                .addProperty("timestamp", new StringSchema().format("date-time"))
                .addProperty(
                        "data",
                        new ComposedSchema()
                                .addOneOfItem(ref("CallEventData"))
                                .addOneOfItem(ref("CreditLowData"))
                                .addOneOfItem(ref("CampaignEventData")))
                .required(List.of("type", "timestamp", "data"));
        message.setAdditionalProperties(false);
        components.addSchemas("WebhookMessage", message);
        talkifaiMessages(components);
        responseModels.add("CallView");
        collectRefs(ref("CallView"), components, responseModels);
        responseModels.add("CampaignEventData");
        collectRefs(ref("CampaignEventData"), components, responseModels);

        var create = openApi.getPaths().get("/webhook-endpoints");
        if (create != null && create.getPost() != null) {
            var delivery = new Operation()
                    .summary("A webhook message Dialplane sends to the endpoint's url")
                    .requestBody(new RequestBody()
                            .required(true)
                            .content(new Content().addMediaType(JSON, new MediaType().schema(ref("WebhookMessage")))))
                    .responses(
                            new ApiResponses()
                                    .addApiResponse(
                                            "2XX",
                                            new ApiResponse()
                                                    .description(
                                                            "Delivered; anything else is a failed attempt, retried on the documented schedule")));
            create.getPost()
                    .addCallback(
                            "message",
                            new Callback().addPathItem("{$request.body#/url}", new PathItem().post(delivery)));
            var talkifai = new Operation()
                    .summary("A webhook message Dialplane sends to a talkifai endpoint's url (TalkifAI's format)")
                    .addParametersItem(new HeaderParameter()
                            .name("X-TalkifAI-Signature")
                            .required(true)
                            .description("sha256=<hex HMAC-SHA256 of the raw body, keyed by the endpoint's secret as"
                                    + " shown (UTF-8, whsec_ included)>; no Standard Webhooks headers are sent")
                            .schema(new StringSchema().pattern("^sha256=[0-9a-f]{64}$")))
                    .addParametersItem(new HeaderParameter()
                            .name("X-Dialplane-Previous-Signature")
                            .required(false)
                            .description("During a secret rotation's overlap: the same signature made with the"
                                    + " replaced secret")
                            .schema(new StringSchema().pattern("^sha256=[0-9a-f]{64}$")))
                    .requestBody(new RequestBody()
                            .required(true)
                            .content(new Content()
                                    .addMediaType(JSON, new MediaType().schema(ref("TalkifaiWebhookMessage")))))
                    .responses(
                            new ApiResponses()
                                    .addApiResponse(
                                            "2XX",
                                            new ApiResponse()
                                                    .description(
                                                            "Delivered; anything else is a failed attempt, retried after 30 s, 5 min and 30 min")));
            create.getPost()
                    .addCallback(
                            "talkifaiMessage",
                            new Callback().addPathItem("{$request.body#/url}", new PathItem().post(talkifai)));
        }
    }

    /**
     * TalkifAI's webhook (their api-reference/webhooks page), sent to an endpoint of format
     * {@code talkifai}: {@code TalkifaiWebhookMessage}, with camelCase data.
     */
    private static void talkifaiMessages(Components components) {
        var nullableString = (java.util.function.Supplier<Schema<?>>) () -> new StringSchema().nullable(true);
        var started = new ObjectSchema()
                .description("call.started: the call was answered (connected, the agent joined)")
                .addProperty("callId", new StringSchema().format("uuid"))
                .addProperty("agentId", new StringSchema().format("uuid"))
                .addProperty("direction", new StringSchema())
                .addProperty("from", new StringSchema())
                .addProperty("to", new StringSchema())
                .required(List.of("callId", "agentId", "direction", "from", "to"));
        started.setAdditionalProperties(false);
        components.addSchemas("TalkifaiCallStartedData", started);
        var ended = new ObjectSchema()
                .description("call.ended: an answered call ended")
                .addProperty("callId", new StringSchema().format("uuid"))
                .addProperty("agentId", new StringSchema().format("uuid"))
                .addProperty("duration", new IntegerSchema().description("Seconds from answer to end"))
                .addProperty("status", new StringSchema().description("completed"))
                .addProperty(
                        "endReason",
                        nullableString
                                .get()
                                .description("Dialplane's end_reason, except hangup_by_callee, written user_hangup"))
                .addProperty("recordingUrl", nullableString.get().description("The recording's location, if any"))
                .required(List.of("callId", "agentId", "duration", "status", "endReason", "recordingUrl"));
        ended.setAdditionalProperties(false);
        components.addSchemas("TalkifaiCallEndedData", ended);
        var failed = new ObjectSchema()
                .description("call.failed: the call ended unanswered (TalkifAI documents no payload; Dialplane's)")
                .addProperty("callId", new StringSchema().format("uuid"))
                .addProperty("agentId", new StringSchema().format("uuid"))
                .addProperty("direction", new StringSchema())
                .addProperty("from", new StringSchema())
                .addProperty("to", new StringSchema())
                .addProperty("duration", new IntegerSchema().description("0: the call was not answered"))
                .addProperty("status", new StringSchema().description("busy, no_answer, failed or canceled"))
                .addProperty("endReason", nullableString.get())
                .addProperty("sipStatusCode", new IntegerSchema().nullable(true))
                .addProperty("errorMessage", nullableString.get())
                .required(List.of(
                        "callId",
                        "agentId",
                        "direction",
                        "from",
                        "to",
                        "duration",
                        "status",
                        "endReason",
                        "sipStatusCode",
                        "errorMessage"));
        failed.setAdditionalProperties(false);
        components.addSchemas("TalkifaiCallFailedData", failed);
        var credit = new ObjectSchema()
                .description("credit.low (threshold: the low-credit threshold) and credit.depleted (threshold: one"
                        + " minute's price); TalkifAI documents no payload")
                .addProperty("organizationId", new StringSchema().format("uuid"))
                .addProperty("balance", new NumberSchema())
                .addProperty("threshold", new NumberSchema())
                .required(List.of("organizationId", "balance", "threshold"));
        credit.setAdditionalProperties(false);
        components.addSchemas("TalkifaiCreditData", credit);
        var message = new ObjectSchema()
                .description("A client webhook to a talkifai endpoint, in TalkifAI's envelope; signed by"
                        + " X-TalkifAI-Signature")
                .addProperty(
                        "id",
                        new StringSchema()
                                .pattern("^evt_[0-9a-f]{32}$")
                                .description("The message's id, the same on every retry and redelivery"))
                .addProperty(
                        "type",
                        new StringSchema()
                                ._enum(List.of(
                                        "call.started", "call.ended", "call.failed", "credit.low", "credit.depleted")))
                .addProperty(
                        "created",
                        new StringSchema()
                                .format("date-time")
                                .description("When the event happened, ISO-8601 UTC to the second"))
                .addProperty(
                        "data",
                        new ComposedSchema()
                                .addOneOfItem(ref("TalkifaiCallStartedData"))
                                .addOneOfItem(ref("TalkifaiCallEndedData"))
                                .addOneOfItem(ref("TalkifaiCallFailedData"))
                                .addOneOfItem(ref("TalkifaiCreditData")))
                .required(List.of("id", "type", "created", "data"));
        message.setAdditionalProperties(false);
        components.addSchemas("TalkifaiWebhookMessage", message);
    }

    // --- operations

    private static void describeDncNumber(String id, Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        operation.getParameters().forEach(parameter -> {
            if ("number".equals(parameter.getName())) {
                parameter.setDescription(
                        id.equals("listDncEntries")
                                ? "An E.164 number ('+' encoded as %2B): the page then holds its entry, or nothing"
                                        + " when it is not listed (never 404); limit and cursor do not apply"
                                : "The E.164 number to take off the list, '+' encoded as %2B");
            }
        });
    }

    /** MrAssistant's query parameters of {@code GET /calls/agent/{agent_id}/calls}, as its reference states them. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void describeAgentCallsParameters(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        operation.getParameters().forEach(parameter -> {
            Schema schema = parameter.getSchema();
            switch (parameter.getName()) {
                case "limit" -> {
                    parameter.setDescription("Number of calls to return");
                    // read as text by the handler, to refuse a bad value with the route's own range
                    parameter.setSchema(new IntegerSchema()
                            .minimum(BigDecimal.ONE)
                            .maximum(BigDecimal.valueOf(500))
                            ._default(100));
                }
                case "offset" -> {
                    parameter.setDescription("Number of calls to skip (newest first)");
                    parameter.setSchema(
                            new IntegerSchema().minimum(BigDecimal.ZERO)._default(0));
                }
                case "direction" -> {
                    parameter.setDescription(
                            "Filter by direction: inbound, outbound. Dialplane places outbound calls only: inbound is"
                                    + " an empty list");
                    schema.setEnum(List.of("inbound", "outbound"));
                }
                case "status_filter" -> {
                    parameter.setDescription("Filter by status: initiated (scheduled, queued, dialing), ringing,"
                            + " answered (in_progress), ended (completed), failed (busy, no_answer, failed, canceled)");
                    schema.setEnum(List.of("initiated", "ringing", "answered", "ended", "failed"));
                }
                case "start_date" ->
                    parameter.setDescription("Calls created (started_at) at or after this ISO date or date-time;"
                            + " a date is midnight UTC, a date-time without an offset is UTC");
                case "end_date" ->
                    parameter.setDescription(
                            "Calls created (started_at) before this ISO date-time; a date alone includes that"
                                    + " whole day (UTC), a date-time without an offset is UTC");
                default -> {}
            }
        });
    }

    /**
     * TalkifAI's {@code POST /batch/create} body: JSON with {@code contacts}, or a multipart form
     * with a CSV {@code file} and the same fields as parts.
     */
    private static RequestBody batchCreateBody() {
        var contact = new ObjectSchema()
                .description("One person to call; every other field is a custom field, passed to the agent in the"
                        + " call's context with name")
                .addProperty("phone", new StringSchema().description("E.164, spaces stripped, e.g. +12025550123"))
                .addProperty("name", new StringSchema().maxLength(255))
                .required(List.of("phone"));
        contact.setAdditionalProperties(true);
        var json = batchFields(new ObjectSchema())
                .addProperty(
                        "contacts",
                        new ArraySchema()
                                .items(contact)
                                .minItems(1)
                                .maxItems(10_000)
                                .description("1 to 10,000 contacts (more: too_many_contacts); each number once"))
                .required(List.of("fromPhoneNumberId", "name", "contacts"));
        var form = batchFields(new ObjectSchema())
                .addProperty(
                        "file",
                        new StringSchema()
                                .format("binary")
                                .description("CSV, UTF-8, at most 10 MB (file_too_large): a header row naming a phone"
                                        + " column (any case), a name column optionally, every other column a"
                                        + " custom field; one contact per row, at most 10,000"))
                .required(List.of("fromPhoneNumberId", "name", "file"));
        return new RequestBody()
                .required(true)
                .content(new Content()
                        .addMediaType(JSON, new MediaType().schema(json))
                        .addMediaType("multipart/form-data", new MediaType().schema(form)));
    }

    private static Schema<?> batchFields(Schema<?> schema) {
        return schema.addProperty(
                        "fromPhoneNumberId",
                        new StringSchema()
                                .format("uuid")
                                .description("One of your phone numbers: its outbound agent calls, from it"))
                .addProperty("name", new StringSchema().minLength(1).maxLength(200))
                .addProperty("description", new StringSchema().maxLength(1000))
                .addProperty(
                        "concurrentCallLimit",
                        new IntegerSchema()
                                .minimum(BigDecimal.ONE)
                                .maximum(BigDecimal.valueOf(50))
                                ._default(5))
                .addProperty(
                        "maxAttempts",
                        new IntegerSchema()
                                .minimum(BigDecimal.ONE)
                                .maximum(BigDecimal.TEN)
                                ._default(3)
                                .description("Calls per contact at most; no_answer, busy and timeout are retried after"
                                        + " 5 min, then 30 min"))
                .addProperty(
                        "scheduledStartTime",
                        new StringSchema()
                                .description("ISO local date-time without offset, in timezone, e.g."
                                        + " 2027-01-15T09:00:00; absent: the job waits (pending) until started"))
                .addProperty(
                        "timezone", new StringSchema()._default("UTC").description("IANA zone of scheduledStartTime"));
    }

    /** The query parameters of the batch routes, as TalkifAI documents them. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void describeBatchParameters(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        // the multipart form's fields are read as a map of request parameters: they are the form, not a query
        operation
                .getParameters()
                .removeIf(parameter -> "form".equals(parameter.getName()) || "file".equals(parameter.getName()));
        operation.getParameters().forEach(parameter -> {
            switch (parameter.getName()) {
                case "organizationId" ->
                    parameter.setDescription("TalkifAI requires it; here optional, and when given it must be your"
                            + " own organization's id (else 404 not_found)");
                case "status" ->
                    parameter.setSchema(new StringSchema()
                            ._enum(List.of(
                                    "pending", "scheduled", "running", "paused", "completed", "failed", "cancelled")));
                case "page", "contactsPage" ->
                    parameter.setSchema(
                            new IntegerSchema().minimum(BigDecimal.ONE)._default(1));
                case "pageSize" ->
                    parameter.setSchema(new IntegerSchema()
                            .minimum(BigDecimal.ONE)
                            .maximum(BigDecimal.valueOf(100))
                            ._default(20));
                case "contactsPageSize" ->
                    parameter.setSchema(new IntegerSchema()
                            .minimum(BigDecimal.ONE)
                            .maximum(BigDecimal.valueOf(500))
                            ._default(50));
                case "contactStatus" ->
                    parameter.setSchema(new StringSchema()
                            ._enum(List.of(
                                    "pending",
                                    "queued",
                                    "dialing",
                                    "completed",
                                    "no_answer",
                                    "busy",
                                    "timeout",
                                    "blocked",
                                    "invalid_number",
                                    "carrier_error",
                                    "failed",
                                    "cancelled")));
                case "scheduledStartTime" ->
                    parameter.setDescription("The new start: ISO local date-time without offset, in timezone");
                case "timezone" ->
                    parameter.setDescription("IANA zone of scheduledStartTime; default: the job's own, else UTC");
                default -> {}
            }
        });
    }

    private static void security(String path, Operation operation) {
        if (path.startsWith("/admin/")) {
            operation.setSecurity(List.of(new SecurityRequirement().addList(ADMIN_TOKEN)));
        } else if (path.equals(OUTCOME_ROUTE)) {
            // either one: the call's report token (its agent) or the organization's API key
            operation.setSecurity(List.of(
                    new SecurityRequirement().addList(REPORT_TOKEN),
                    new SecurityRequirement().addList(API_KEY),
                    new SecurityRequirement().addList(API_KEY_HEADER)));
        } else if (publicRoute(path)) {
            operation.setSecurity(List.of()); // no Authorization at all (the LiveKit webhook carries its own signature)
        }
    }

    private static boolean publicRoute(String path) {
        return path.equals("/webhooks/livekit") || path.equals("/livez") || path.equals("/readyz");
    }

    private static boolean talkifai(String path) {
        return path.startsWith("/telephony/") || path.startsWith("/batch/");
    }

    /** Success responses: exact content type, the headers they carry, the always-present fields of their models. */
    private static void successes(
            String path, String id, Operation operation, Components components, Set<String> responseModels) {
        for (var entry : operation.getResponses().entrySet()) {
            var response = entry.getValue();
            if (response.getContent() != null) {
                var media = response.getContent().remove("*/*");
                if (media != null) {
                    response.getContent().addMediaType(JSON, media);
                }
                response.getContent().values().forEach(m -> collectRefs(m.getSchema(), components, responseModels));
            }
            if (response.getDescription() == null
                    || response.getDescription().isBlank()
                    || response.getDescription().equals("OK")) {
                response.setDescription(REASONS.getOrDefault(Integer.parseInt(entry.getKey()), "Success"));
            }
            addHeader(response, "X-Request-Id", requestIdHeader());
            if (id.equals("getCampaignResults") && entry.getKey().equals("200")) {
                response.setContent(
                        new Content()
                                .addMediaType(
                                        "text/csv",
                                        new MediaType()
                                                .schema(
                                                        new StringSchema()
                                                                .description(
                                                                        "One row per contact in row order, after a header row: row, to_number,"
                                                                                + " from_number, status, attempts, last_call_id, last_end_reason,"
                                                                                + " duration_seconds, cost, disposition, error, context (JSON)"))));
                addHeader(
                        response,
                        "Content-Disposition",
                        new Header()
                                .description("attachment; filename=\"campaign-<id>-results.csv\"")
                                .schema(new StringSchema()));
            }
            if (id.equals("placeCall") || id.equals("placeTalkifaiCall")) {
                addHeader(
                        response,
                        "X-Call-Id",
                        new Header()
                                .description("The call's id")
                                .required(true)
                                .schema(new StringSchema().format("uuid")));
                addHeader(
                        response,
                        "Location",
                        new Header()
                                .description("/calls/{id}: the call's resource")
                                .required(true)
                                .schema(new StringSchema()));
                addHeader(
                        response,
                        "Idempotent-Replayed",
                        new Header()
                                .description(
                                        "true when this is the stored response of an earlier request with the same Idempotency-Key")
                                .schema(new StringSchema()._enum(List.of("true"))));
            }
        }
        if (id.equals("listCallEvents")) {
            var events = new ObjectSchema()
                    .addProperty(
                            "data", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/EventResource")))
                    .addRequiredItem("data");
            java.util.Objects.requireNonNull(operation.getResponses().get("200"))
                    .setContent(new Content().addMediaType(JSON, new MediaType().schema(events)));
            responseModels.add("EventResource");
        }
        if (id.equals("receiveLiveKitWebhook")) {
            var answer = new ObjectSchema()
                    .addProperty(
                            "status",
                            new StringSchema()
                                    ._enum(List.of("accepted", "duplicate", "ignored"))
                                    .description(
                                            "accepted: recorded; duplicate: this event id was already handled; ignored: not about a Dialplane call"))
                    .addRequiredItem("status");
            java.util.Objects.requireNonNull(operation.getResponses().get("200"))
                    .setContent(new Content().addMediaType(JSON, new MediaType().schema(answer)));
        }
    }

    private static void requestBody(String path, PathItem.HttpMethod method, Operation operation, OpenAPI openApi) {
        if (path.equals("/campaigns/{id}/targets")) {
            var body = operation.getRequestBody();
            if (body == null) {
                body = new RequestBody();
                operation.setRequestBody(body);
            }
            if (body.getContent() == null) {
                body.setContent(new Content());
            }
            body.required(true)
                    .description("JSON {targets: [...]} (1–10,000 of MrAssistant's target model), or a CSV read as a"
                            + " stream (Content-Type: text/csv; at most 64 MiB, and 1,000,000 contacts per campaign)"
                            + " whose first row names the columns: to_number, phone, phone_number or number holds the"
                            + " number, from_number the caller number, every other column becomes a context field.");
            body.getContent()
                    .addMediaType(
                            "text/csv",
                            new MediaType()
                                    .schema(new StringSchema())
                                    .example(
                                            "phone,first_name,plan\n+12025550123,Ada,gold\n+12025550124,Grace,silver\n"));
            return;
        }
        if (path.equals("/dnc/import")) {
            operation.setRequestBody(new RequestBody()
                    .required(true)
                    .description("CSV, read as a stream (at most 64 MiB and 1,000,000 data rows): one E.164 number per"
                            + " line, or a header row naming a phone or number column (other columns are ignored)."
                            + " UTF-8 unless the Content-Type names another charset; blank lines are skipped.")
                    .content(new Content()
                            .addMediaType(
                                    "text/csv",
                                    new MediaType()
                                            .schema(new StringSchema())
                                            .example("phone,name\n+12025550123,Ada\n+12025550124,Grace\n"))));
            return;
        }
        if (path.equals("/batch/create")) {
            operation.setRequestBody(batchCreateBody());
            return;
        }
        if (path.equals("/batch/jobs/{id}/reschedule")) {
            var fields = new ObjectSchema()
                    .description("The same two fields as the query parameters, which win when both are given")
                    .addProperty("scheduledStartTime", new StringSchema())
                    .addProperty("timezone", new StringSchema());
            operation.setRequestBody(new RequestBody()
                    .required(false)
                    .content(new Content().addMediaType(JSON, new MediaType().schema(fields))));
            return;
        }
        var body = operation.getRequestBody();
        if (body == null || body.getContent() == null) {
            return;
        }
        if (path.equals("/webhooks/livekit")) {
            operation.setRequestBody(new RequestBody()
                    .required(true)
                    .description("LiveKit's webhook event (protobuf JSON), signed by the JWT in Authorization")
                    .content(new Content()
                            .addMediaType("application/webhook+json", new MediaType().schema(anyObject()))
                            .addMediaType(JSON, new MediaType().schema(anyObject()))));
            return;
        }
        if (method == PathItem.HttpMethod.PATCH) {
            operation.setRequestBody(mergePatch(path, openApi));
            return;
        }
        if (method == PathItem.HttpMethod.PUT && path.equals("/compliance-policy")) {
            operation.setRequestBody(new RequestBody()
                    .required(true)
                    .description("The fields to set, as GET shows them: a field left out keeps its value, null turns"
                            + " calling_window or max_attempts_per_number off; the result is validated as a whole")
                    .content(new Content().addMediaType(JSON, new MediaType().schema(ref("PolicyResource")))));
            return;
        }
        var media = body.getContent().remove("*/*");
        if (media != null) {
            body.getContent().addMediaType(JSON, media);
        }
    }

    /**
     * A PATCH body is a JSON merge patch of the create request's fields: each optional, {@code null}
     * clears it, and the merged result is validated like a create.
     */
    private static RequestBody mergePatch(String path, OpenAPI openApi) {
        var collection = path.substring(0, path.lastIndexOf('/'));
        var create = openApi.getPaths().get(collection) == null
                ? null
                : openApi.getPaths().get(collection).getPost();
        var patch = new ObjectSchema();
        patch.setAdditionalProperties(true);
        var source = create == null
                        || create.getRequestBody() == null
                        || create.getRequestBody().getContent() == null
                ? null
                : create.getRequestBody()
                        .getContent()
                        .values()
                        .iterator()
                        .next()
                        .getSchema();
        var model = source == null || source.get$ref() == null
                ? source
                : openApi.getComponents().getSchemas().get(simpleName(source.get$ref()));
        if (model != null && model.getProperties() != null) {
            model.getProperties().forEach((name, property) -> {
                if (!"credits".equals(name) || !collection.equals("/admin/organizations")) {
                    patch.addProperty((String) name, copyNullable((Schema<?>) property));
                }
            });
        }
        patch.description(
                "A JSON merge patch (RFC 7396): absent fields keep their value, null clears one; the result is "
                        + "validated like a create. Unknown fields are ignored.");
        var media = new MediaType().schema(patch);
        return new RequestBody()
                .required(true)
                .content(new Content()
                        .addMediaType("application/merge-patch+json", media)
                        .addMediaType(JSON, media));
    }

    /** Replaces a nullable reference to an object model with a nullable copy of that model. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void inlineNullable(Map<String, Schema> schemas, String model, String property, String target) {
        var owner = schemas.get(model);
        var referenced = schemas.get(target);
        if (owner == null || referenced == null || owner.getProperties() == null) {
            return;
        }
        var copy = new ObjectSchema();
        copy.setProperties(referenced.getProperties());
        copy.setRequired(referenced.getRequired());
        copy.setAdditionalProperties(referenced.getAdditionalProperties());
        copy.setDescription(referenced.getDescription());
        copy.setNullable(true);
        owner.getProperties().put(property, copy);
    }

    private static Schema<?> copyNullable(Schema<?> property) {
        if (property.get$ref() != null) {
            return new ComposedSchema()
                    .addAllOfItem(new Schema<>().$ref(property.get$ref()))
                    .nullable(true);
        }
        var copy = new Schema<>();
        copy.setType(property.getType());
        copy.setFormat(property.getFormat());
        copy.setEnum(nullableEnum(property.getEnum()));
        copy.setPattern(property.getPattern());
        copy.setMinLength(property.getMinLength());
        copy.setMaxLength(property.getMaxLength());
        copy.setMinimum(property.getMinimum());
        copy.setMaximum(property.getMaximum());
        copy.setExclusiveMinimum(property.getExclusiveMinimum());
        copy.setExclusiveMaximum(property.getExclusiveMaximum());
        copy.setItems(property.getItems());
        copy.setAdditionalProperties(property.getAdditionalProperties());
        copy.setDescription(property.getDescription());
        copy.setNullable(true);
        return copy;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static @Nullable List nullableEnum(@Nullable List values) {
        if (values == null) {
            return null;
        }
        var copy = new ArrayList(values);
        copy.add(null); // OpenAPI 3.0: a nullable enum lists null among its values
        return copy;
    }

    /** Every error the operation can answer, each with its body and headers. */
    private static void errors(String path, String id, Operation operation) {
        var statuses = new TreeMap<Integer, List<String>>();
        var params = operation.getParameters() == null ? List.<Parameter>of() : operation.getParameters();
        var hasBody = operation.getRequestBody() != null;
        var probe = path.equals("/livez") || path.equals("/readyz");
        if (probe) {
            return; // the probes answer 200 or 503 with their own body, set in addProbes
        }
        if (hasBody) {
            add(statuses, 400, List.of("MALFORMED_REQUEST", "DUPLICATE_KEY", "JSON_TOO_DEEP", "JSON_NUMBER_TOO_LONG"));
        }
        for (var param : params) {
            if ("path".equals(param.getIn()) || "query".equals(param.getIn())) {
                add(statuses, 400, "INVALID_PARAMETER");
            }
            if ("limit".equals(param.getName())) {
                add(statuses, 400, "INVALID_LIMIT");
            }
            if ("cursor".equals(param.getName())) {
                add(statuses, 400, "INVALID_CURSOR");
            }
        }
        if (path.equals("/webhooks/livekit")) {
            add(statuses, 401, "INVALID_SIGNATURE");
        } else {
            add(statuses, 401, "UNAUTHORIZED");
        }
        if (path.startsWith("/admin/")) {
            add(statuses, 403, "ADMIN_API_DISABLED");
        }
        if (params.stream().anyMatch(p -> "path".equals(p.getIn()))) {
            add(statuses, 404, List.of());
        }
        // the body limit is a filter in front of every route, so a body sent where none is read is refused too
        add(statuses, 413, "PAYLOAD_TOO_LARGE");
        if (hasBody && !path.equals("/webhooks/livekit")) {
            add(statuses, 415, "UNSUPPORTED_MEDIA_TYPE");
            add(statuses, 422, "VALIDATION_FAILED");
        }
        ROUTE_ERRORS.getOrDefault(id, Map.of()).forEach((status, codes) -> add(statuses, status, codes));
        if (statuses.containsKey(404) && statuses.get(404).isEmpty()) {
            statuses.get(404).add("NOT_FOUND");
        }
        add(statuses, 500, "INTERNAL_ERROR");
        add(statuses, 503, "SERVICE_UNAVAILABLE");

        var responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        statuses.forEach(
                (status, codes) -> responses.addApiResponse(String.valueOf(status), error(path, id, status, codes)));
        operation.setResponses(responses);
    }

    private static void add(Map<Integer, List<String>> statuses, int status, String code) {
        add(statuses, status, List.of(code));
    }

    private static void add(Map<Integer, List<String>> statuses, int status, List<String> codes) {
        var list = statuses.computeIfAbsent(status, s -> new ArrayList<>());
        codes.stream().filter(code -> !list.contains(code)).forEach(list::add);
    }

    private static ApiResponse error(String path, String id, int status, List<String> codes) {
        var description =
                REASONS.getOrDefault(status, "Error") + (codes.isEmpty() ? "" : ": " + String.join(", ", codes));
        var response = new ApiResponse().description(description);
        addHeader(response, "X-Request-Id", requestIdHeader());
        if (status == 503) {
            addHeader(
                    response,
                    "Retry-After",
                    new Header()
                            .description("Seconds to wait before retrying")
                            .required(true)
                            .schema(new StringSchema().pattern("^[1-9][0-9]*$")));
        }
        if (status == 409 && (codes.contains("TOO_MANY_CALLS") || codes.contains("IDEMPOTENCY_KEY_IN_USE"))) {
            addHeader(
                    response,
                    "Retry-After",
                    new Header()
                            .description(
                                    "With TOO_MANY_CALLS (1) and IDEMPOTENCY_KEY_IN_USE (5): seconds to wait before retrying")
                            .schema(new StringSchema().pattern("^[1-9][0-9]*$")));
        }
        if (status == 429) {
            addHeader(
                    response,
                    "Retry-After",
                    new Header()
                            .description("Seconds until the next call to the number is allowed")
                            .required(true)
                            .schema(new StringSchema().pattern("^[1-9][0-9]*$")));
        }
        if (status == 401) {
            addHeader(response, "WWW-Authenticate", new Header().schema(new StringSchema()));
        }
        if (talkifai(path) && path.startsWith("/telephony/")) {
            addHeader(
                    response,
                    "X-Call-Id",
                    new Header()
                            .description(
                                    "When a call was created before it failed: its id (the call is recorded with its real status)")
                            .schema(new StringSchema().format("uuid")));
        }
        if (talkifai(path)) {
            return response.content(new Content().addMediaType(JSON, new MediaType().schema(ref(TALKIFAI_ERROR))));
        }
        var schema = status == 422
                        && (id.equals("placeCall")
                                || id.equals("preflightCall")
                                || id.equals("transferCall")
                                || id.equals("createCampaign"))
                ? MRASSISTANT_VALIDATION_PROBLEM
                : PROBLEM;
        return response.content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(ref(schema))));
    }

    private static void addHeader(ApiResponse response, String name, Header header) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey(name)) {
            response.addHeaderObject(name, header);
        }
    }

    private static Header requestIdHeader() {
        return new Header()
                .description(
                        "The request's id: the client's own X-Request-Id when it sent a valid one, else a new UUID")
                .required(true)
                .schema(new StringSchema().minLength(1).maxLength(128).pattern("^[A-Za-z0-9._:;=+/@-]+$"));
    }

    // --- schemas

    private static void addErrorSchemas(Components components) {
        var violation = new ObjectSchema()
                .description("One invalid input: its JSON field name or path, and what is wrong with it")
                .addProperty("field", new StringSchema())
                .addProperty("message", new StringSchema())
                .required(List.of("field", "message"));
        components.addSchemas("FieldViolation", violation);
        components.addSchemas(
                PROBLEM, problem(new StringSchema().description("What happened, in a sentence a client can act on")));

        // FastAPI's 422 item, which MrAssistant clients read
        var location = new ArraySchema()
                .items(new ComposedSchema().addOneOfItem(new StringSchema()).addOneOfItem(new IntegerSchema()));
        var fastApiError = new ObjectSchema()
                .description("One error as FastAPI (Pydantic v2) reports it")
                .addProperty("loc", location.description("Where: e.g. [\"body\", \"ringing_timeout_seconds\"]"))
                .addProperty("msg", new StringSchema())
                .addProperty(
                        "type",
                        new StringSchema().description("Pydantic's error type, e.g. int_parsing, less_than_equal"))
                .addProperty(
                        "input",
                        new Schema<>()
                                .nullable(true)
                                .description("The value that was refused (any JSON; for missing, the whole body)"))
                .addProperty("ctx", anyObject())
                .required(List.of("loc", "msg", "type"));
        components.addSchemas("FastApiValidationError", fastApiError);
        var detail = new ComposedSchema()
                .description("A sentence, or (on a 422 of a MrAssistant route) FastAPI's list of errors")
                .addOneOfItem(new StringSchema())
                .addOneOfItem(new ArraySchema().items(ref("FastApiValidationError")));
        components.addSchemas(MRASSISTANT_VALIDATION_PROBLEM, problem(detail));

        var talkifai = new ObjectSchema()
                .description("TalkifAI's error envelope")
                .addProperty("success", new BooleanSchema()._enum(List.of(false)))
                .addProperty("error", new StringSchema().description("What happened and what to do"))
                .addProperty("code", new StringSchema())
                .addProperty(
                        "detail",
                        new StringSchema()
                                .description("The same text as error, for clients that read FastAPI's {\"detail\"}"))
                .addProperty("errors", new ArraySchema().items(ref("FieldViolation")))
                .required(List.of("success", "error", "detail", "code"));
        talkifai.setAdditionalProperties(false);
        components.addSchemas(TALKIFAI_ERROR, talkifai);
    }

    /** RFC 9457 problem details with Dialplane's stable {@code code}. */
    private static Schema<?> problem(Schema<?> detail) {
        var problem = new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty(
                        "status",
                        new IntegerSchema().minimum(BigDecimal.valueOf(400)).maximum(BigDecimal.valueOf(599)))
                .addProperty("detail", detail)
                .addProperty("instance", new StringSchema().description("The request's path"))
                .addProperty(
                        "code", new StringSchema().description("Stable machine-readable code, e.g. VALIDATION_FAILED"))
                .addProperty(
                        "errors",
                        new ArraySchema().items(ref("FieldViolation")).description("Each invalid field (422)"))
                .addProperty(
                        "call_id",
                        new StringSchema().format("uuid").description("The call concerned, when one was created"))
                .addProperty(
                        "sip_status_code", new IntegerSchema().description("TRANSFER_FAILED: the target's SIP status"))
                .addProperty(
                        "reference", new StringSchema().description("INTERNAL_ERROR: the id to find it in the log"))
                .addProperty(
                        "next_allowed_at",
                        new StringSchema()
                                .format("date-time")
                                .description(
                                        "OUTSIDE_CALLING_WINDOW: the next instant the callee's calling window holds;"
                                                + " ATTEMPT_LIMIT_REACHED: when the next call to the number is allowed"))
                .addProperty(
                        "callee_timezones",
                        new ArraySchema()
                                .items(new StringSchema())
                                .description("OUTSIDE_CALLING_WINDOW: the callee's zones the window was checked in"))
                .required(List.of("type", "title", "status", "detail", "instance", "code"));
        problem.setAdditionalProperties(false);
        return problem;
    }

    /** The public load-balancer probes Spring serves on the API port. */
    private static void addProbes(OpenAPI openApi) {
        var health = new ObjectSchema()
                .addProperty("status", new StringSchema().description("UP, or DOWN / OUT_OF_SERVICE"))
                .addRequiredItem("status");
        for (var probe : List.of("/livez", "/readyz")) {
            var content = new Content()
                    .addMediaType("application/vnd.spring-boot.actuator.v3+json", new MediaType().schema(health))
                    .addMediaType(JSON, new MediaType().schema(health));
            var operation = new Operation()
                    .summary(probe.equals("/livez") ? "Liveness probe" : "Readiness probe")
                    .responses(new ApiResponses()
                            .addApiResponse(
                                    "200",
                                    new ApiResponse()
                                            .description("Up")
                                            .content(content)
                                            .addHeaderObject("X-Request-Id", requestIdHeader()))
                            .addApiResponse(
                                    "503",
                                    new ApiResponse()
                                            .description("Down")
                                            .content(content)
                                            .addHeaderObject("X-Request-Id", requestIdHeader())));
            openApi.getPaths().addPathItem(probe, new PathItem().get(operation));
        }
    }

    private static void fixModels(Components components) {
        var schemas = components.getSchemas();
        if (schemas == null) {
            return;
        }
        // Map<String, Object> is any JSON object, not "an object of objects"
        schemas.values().forEach(OpenApiDocument::anyValueMaps);
        // validators read null against the referenced object inside allOf: these are inlined instead
        inlineNullable(schemas, "PolicyResource", "calling_window", "CallingWindowResource");
        inlineNullable(schemas, "PolicyResource", "max_attempts_per_number", "AttemptCapsResource");
        inlineNullable(schemas, "CampaignView", "calling_window", "CallingWindowView");
        inlineNullable(schemas, "CreatedCampaignResponse", "calling_window", "CallingWindowView");
        // a delivery's payload is the webhook message exactly as sent (a JsonNode to the code)
        var detail = schemas.get("DeliveryDetailResponse");
        if (detail != null
                && detail.getProperties() != null
                && detail.getProperties().containsKey("payload")) {
            detail.getProperties()
                    .put(
                            "payload",
                            new ComposedSchema()
                                    .addOneOfItem(ref("WebhookMessage"))
                                    .addOneOfItem(ref("TalkifaiWebhookMessage"))
                                    .description(
                                            "The body exactly as sent: a WebhookMessage, or a TalkifaiWebhookMessage for a talkifai endpoint"));
        }
        schemas.remove("JsonNode");
        var event = schemas.get("EventResource");
        if (event != null
                && event.getProperties() != null
                && event.getProperties().get("type") instanceof Schema<?> type) {
            @SuppressWarnings("unchecked")
            var names = (Schema<String>) type;
            names.setEnum(List.of("status_changed", "outcome_reported"));
            names.setDescription(
                    "status_changed: the call moved to status; outcome_reported: a POST /calls/{id}/outcome"
                            + " report (its fields in outcome; status is the call's when it arrived)");
        }
        describeBatchModels(schemas);
        var outcomeRequest = schemas.get("OutcomeRequest");
        if (outcomeRequest != null) {
            outcomeRequest.setDescription("What the agent learned; every field optional, at least one given, null"
                    + " the same as absent. Each field given replaces its earlier value; the others keep theirs.");
            outcomeRequest.setMinProperties(1);
        }
        var transfer = schemas.get("TransferRequest");
        if (transfer != null && transfer.getProperties() != null) {
            transfer.setDescription("MrAssistant's transfer body; transfer_to is required unless Dialplane's earlier"
                    + " name for it, to, is given (both: they must be equal)");
            describe(
                    transfer,
                    "transfer_to",
                    null,
                    "tel:+E164, sip:user@domain or sip:+E164@host; each number strict E.164 (LiveKit takes no sips: URI)");
            describe(transfer, "to", null, "The same as transfer_to (Dialplane's first name for it)");
            describe(
                    transfer,
                    "transfer_type",
                    "cold",
                    "cold: a SIP REFER to transfer_to. warm is refused (422 WARM_TRANSFER_NOT_SUPPORTED): the"
                            + " agent performs a warm transfer itself, with LiveKit's warm-transfer pattern");
            describe(transfer, "play_dialtone", false, "Play a dial tone to the callee while the transfer connects");
        }
        var campaignRequest = schemas.get("CampaignRequest");
        if (campaignRequest != null && campaignRequest.getProperties() != null) {
            describe(
                    campaignRequest,
                    "webhook_url",
                    null,
                    "Where the campaign's webhook messages go (Standard Webhooks): campaign.started, .paused,"
                            + " .resumed, .completed and .canceled, and with notify_on_call_complete each call's"
                            + " call.completed or call.failed. An absolute http(s) URL, no user info or #fragment,"
                            + " as a webhook endpoint's url");
            describe(
                    campaignRequest,
                    "webhook_secret",
                    null,
                    "Signs those messages (webhook-signature v1): a whsec_ secret is keyed by its base64-decoded"
                            + " part (24 to 64 bytes), any other (8 to 256 characters, no spaces) by its UTF-8 bytes."
                            + " Needs webhook_url; without it Dialplane generates a whsec_ secret and returns it once,"
                            + " in the create response's webhook_secret");
            describe(
                    campaignRequest,
                    "notify_on_call_complete",
                    false,
                    "Also send each of the campaign's calls' terminal event (call.completed or call.failed) to"
                            + " webhook_url; true needs webhook_url");
        }
        var created = schemas.get("CreatedCampaignResponse");
        if (created != null && created.getProperties() != null) {
            describe(
                    created,
                    "webhook_secret",
                    null,
                    "The signing secret Dialplane generated for webhook_url (whsec_…), shown only in this"
                            + " response; null when the request gave its own webhook_secret or no webhook_url");
        }
        members(schemas);
        var view = schemas.get("CallView");
        if (view != null && view.getProperties() != null) {
            describe(view, "tenant_id", null, "MrAssistant's name: the organization's id");
            describe(
                    view,
                    "started_at",
                    null,
                    "MrAssistant's name: when the call was created (created_at), the one instant every call has");
            describe(
                    view,
                    "recording_url",
                    null,
                    "MrAssistant's name: the recording's location (recording.location) once LiveKit reported it");
        }
        var request = schemas.get("OutboundCallRequest");
        if (request != null && request.getProperties() != null) {
            @SuppressWarnings("unchecked")
            Map<String, Schema<Object>> properties = request.getProperties();
            properties.forEach((name, property) -> {
                var seed = MRASSISTANT_FIELDS.get(name);
                if (seed != null) {
                    if (seed[0] != null) {
                        property.setDefault(seed[0]);
                    }
                    property.setDescription((String) seed[1]);
                }
                property.setNullable(MRASSISTANT_NULLABLE.contains(name) ? true : null);
            });
        }
    }

    /** TalkifAI's batch job and contact statuses, and what the estimates assume. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void describeBatchModels(Map<String, Schema> schemas) {
        var jobStatuses = List.of("pending", "scheduled", "running", "paused", "completed", "cancelled");
        for (var name : List.of(
                "BatchCreated", "BatchJob", "BatchJobDetail", "BatchStarted", "BatchCancelled", "BatchRescheduled")) {
            var model = schemas.get(name);
            if (model == null || model.getProperties() == null) {
                continue;
            }
            if (model.getProperties().get("status") instanceof Schema status) {
                status.setEnum(jobStatuses);
                status.setDescription("pending: created without scheduledStartTime, waiting to be started");
            }
            describe(
                    model,
                    "estimatedCost",
                    null,
                    "contacts × 2 assumed billed minutes × the organization's rate per minute, e.g. $3.50");
            describe(
                    model,
                    "estimatedDuration",
                    null,
                    "ceil(contacts / concurrentCallLimit) × 2 assumed minutes per call, e.g. 2h 30m");
        }
        var contact = schemas.get("BatchContact");
        if (contact != null && contact.getProperties() != null) {
            if (contact.getProperties().get("status") instanceof Schema status) {
                status.setEnum(List.of(
                        "pending",
                        "queued",
                        "dialing",
                        "completed",
                        "no_answer",
                        "busy",
                        "timeout",
                        "blocked",
                        "invalid_number",
                        "carrier_error",
                        "failed",
                        "cancelled"));
                status.setDescription("A contact waiting for its retry shows its last outcome (busy, no_answer,"
                        + " timeout) with nextRetryAt");
            }
            describe(contact, "errorCode", null, "The last call's SIP status code, e.g. \"486\"");
            describe(contact, "callDuration", null, "The last call's answered seconds");
        }
    }

    /** Studio members: the role's values, the email and the password rule the code checks. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void members(Map<String, Schema> schemas) {
        var roles = List.of("owner", "admin", "viewer");
        var create = schemas.get("CreateMemberRequest");
        if (create != null && create.getProperties() != null) {
            Map<String, Schema> properties = create.getProperties();
            if (properties.get("role") != null) {
                properties.get("role").setEnum(roles);
                properties
                        .get("role")
                        .setDescription("owner: everything; admin: everything but members; viewer: reads only");
            }
            if (properties.get("email") != null) {
                properties.get("email").setFormat("email");
                properties
                        .get("email")
                        .setDescription("Signs in to Studio; unique across organizations, ignoring case");
            }
            if (properties.get("password") != null) {
                properties.get("password").setMinLength(12);
                properties
                        .get("password")
                        .setDescription("At least 12 characters and at most 72 bytes in UTF-8 (bcrypt)");
            }
            create.setRequired(List.of("email", "password", "role"));
        }
        var response = schemas.get("MemberResponse");
        if (response != null
                && response.getProperties() != null
                && response.getProperties().get("role") instanceof Schema role) {
            role.setEnum(roles);
        }
        var organization = schemas.get("CreateOrganizationRequest");
        if (organization != null && organization.getProperties() != null) {
            Map<String, Schema> properties = organization.getProperties();
            if (properties.get("owner_email") != null) {
                properties.get("owner_email").setFormat("email");
                properties
                        .get("owner_email")
                        .setDescription(
                                "The organization's first Studio member, an owner; given with owner_password or not at all");
            }
            if (properties.get("owner_password") != null) {
                properties.get("owner_password").setMinLength(12);
                properties
                        .get("owner_password")
                        .setDescription(
                                "The owner's password: at least 12 characters, at most 72 bytes in UTF-8; given with owner_email");
            }
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void describe(Schema<?> model, String field, @Nullable Object defaultValue, String description) {
        Schema property = model.getProperties().get(field);
        if (property == null) {
            return;
        }
        if (defaultValue != null) {
            property.setDefault(defaultValue);
        }
        property.setDescription(description);
    }

    private static void anyValueMaps(Schema<?> schema) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().values().forEach(property -> {
            if (property.getAdditionalProperties() instanceof Schema<?> values
                    && "object".equals(values.getType())
                    && values.getProperties() == null
                    && values.get$ref() == null) {
                property.setAdditionalProperties(true);
            }
        });
    }

    /** Response models list their always-present fields as required; request models keep their @NotNull ones. */
    private static void requireAlwaysPresentFields(Components components, Set<String> responseModels) {
        var schemas = components.getSchemas();
        if (schemas == null) {
            return;
        }
        for (var entry : schemas.entrySet()) {
            var schema = entry.getValue();
            var extensions = schema.getExtensions();
            var always = extensions == null ? null : extensions.remove(RecordModelResolver.ALWAYS_PRESENT);
            if (extensions != null && extensions.isEmpty()) {
                schema.setExtensions(null);
            }
            if (always instanceof List<?> names && responseModels.contains(entry.getKey())) {
                names.forEach(name -> {
                    if (schema.getRequired() == null || !schema.getRequired().contains(name)) {
                        schema.addRequiredItem((String) name);
                    }
                });
            }
        }
    }

    /** Names of the component schemas a response reaches, directly or through other schemas. */
    private static void collectRefs(@Nullable Schema<?> schema, Components components, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null) {
            var name = simpleName(schema.get$ref());
            if (names.add(name) && components.getSchemas() != null) {
                collectRefs(components.getSchemas().get(name), components, names);
            }
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(p -> collectRefs(p, components, names));
        }
        collectRefs(schema.getItems(), components, names);
        if (schema.getAdditionalProperties() instanceof Schema<?> values) {
            collectRefs(values, components, names);
        }
        for (var parts : new List<?>[] {schema.getAllOf(), schema.getOneOf(), schema.getAnyOf()}) {
            if (parts != null) {
                parts.forEach(p -> collectRefs((Schema<?>) p, components, names));
            }
        }
    }

    private static Schema<?> anyObject() {
        var schema = new ObjectSchema();
        schema.setAdditionalProperties(true);
        return schema;
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    private static String simpleName(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
