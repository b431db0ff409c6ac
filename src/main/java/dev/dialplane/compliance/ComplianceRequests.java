package dev.dialplane.compliance;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The compliance routes' request bodies, read and validated exactly as {@code PUT
 * /compliance-policy}, {@code POST /dnc} and {@code POST /dnc/import} do, for another door
 * (Studio's compliance page): one set of rules, one set of messages. Implemented by the routes
 * themselves (compliance.web). Each throws the route's 422 listing every bad field.
 */
public interface ComplianceRequests {

    /**
     * {@code PUT /compliance-policy}: {@code current} with the body's fields merged in (a field
     * left out keeps its value, a null turns it off), validated as a whole.
     *
     * @param body the JSON fields by their snake_case names; a count may be given as its text
     */
    CompliancePolicy policy(CompliancePolicy current, Map<String, Object> body);

    /** {@code POST /dnc}'s body: the numbers (E.164, validated) and the reason. */
    DncAddition addition(List<@Nullable String> numbers, @Nullable String reason);

    /** {@code POST /dnc/import}'s {@code reason}, validated; null or blank is none. */
    @Nullable String importReason(@Nullable String reason);

    /** Numbers to put on the list, each a valid E.164 number, with an optional note why. */
    record DncAddition(List<String> numbers, @Nullable String reason) {}
}
