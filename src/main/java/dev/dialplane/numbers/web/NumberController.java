package dev.dialplane.numbers.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.E164;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.JsonMergePatch;
import dev.dialplane.numbers.NumberDraft;
import dev.dialplane.numbers.NumberRequests;
import dev.dialplane.numbers.NumberService;
import dev.dialplane.numbers.PhoneNumber;
import dev.dialplane.orgs.Tenant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/phone-numbers")
class NumberController implements NumberRequests {

    private final NumberService numbers;
    private final JsonMergePatch patcher;

    NumberController(NumberService numbers, JsonMergePatch patcher) {
        this.numbers = numbers;
        this.patcher = patcher;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    NumberResponse create(Tenant tenant, @Valid @RequestBody NumberRequest request) {
        return NumberResponse.of(numbers.create(tenant, request.toDraft()));
    }

    /** Studio's form: the same body, read by the same rules. */
    @Override
    public NumberDraft read(Map<String, Object> body) {
        return patcher.read(body, NumberRequest.class).toDraft();
    }

    @GetMapping
    Page<NumberResponse> list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return numbers.list(tenant, PageRequest.of(limit, cursor)).map(NumberResponse::of);
    }

    @GetMapping("/{id}")
    NumberResponse get(Tenant tenant, @PathVariable UUID id) {
        return NumberResponse.of(numbers.get(tenant, id));
    }

    @PatchMapping("/{id}")
    NumberResponse update(Tenant tenant, @PathVariable UUID id, @RequestBody JsonNode patch) {
        var current = NumberRequest.of(numbers.get(tenant, id));
        var merged = patcher.apply(current, patch, NumberRequest.class);
        return NumberResponse.of(numbers.update(tenant, id, merged.toDraft()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Tenant tenant, @PathVariable UUID id) {
        numbers.delete(tenant, id);
    }

    record NumberRequest(
            @NotBlank @Size(max = 32) String number,
            @NotNull UUID sipTrunkId,
            @Nullable UUID outboundAgentId,
            @Nullable UUID inboundAgentId,
            @Nullable Boolean record) {

        static NumberRequest of(PhoneNumber number) {
            return new NumberRequest(
                    number.number(),
                    number.sipTrunkId(),
                    number.outboundAgentId(),
                    number.inboundAgentId(),
                    number.record());
        }

        NumberDraft toDraft() {
            String e164;
            try {
                e164 = E164.parse("number", number.replace(" ", ""));
            } catch (E164.InvalidNumber e) {
                throw ApiException.invalid("number", e.getMessage());
            }
            return new NumberDraft(e164, sipTrunkId, outboundAgentId, inboundAgentId, Boolean.TRUE.equals(record));
        }
    }

    record NumberResponse(
            UUID id,
            String number,
            UUID sipTrunkId,
            @Nullable UUID outboundAgentId,
            @Nullable UUID inboundAgentId,
            boolean record,
            Instant createdAt,
            Instant updatedAt) {

        static NumberResponse of(PhoneNumber number) {
            return new NumberResponse(
                    number.id(),
                    number.number(),
                    number.sipTrunkId(),
                    number.outboundAgentId(),
                    number.inboundAgentId(),
                    number.record(),
                    number.createdAt(),
                    number.updatedAt());
        }
    }
}
