package dev.dialplane.numbers;

import java.util.Map;

/**
 * {@code POST /phone-numbers}'s body, read and validated exactly as that route does, for another
 * door into registering or replacing a number (Studio's form): one set of rules, one set of
 * messages. Implemented by the route itself (numbers.web).
 */
public interface NumberRequests {

    /**
     * The number the body describes, ready for {@link NumberService#create} or {@link NumberService#update}.
     *
     * @param body the JSON body's fields by their snake_case names, as the route takes them
     * @throws dev.dialplane.common.ApiException the route's 422 listing every bad field
     */
    NumberDraft read(Map<String, Object> body);
}
