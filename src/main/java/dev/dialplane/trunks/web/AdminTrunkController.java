package dev.dialplane.trunks.web;

import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.JsonMergePatch;
import dev.dialplane.trunks.TrunkService;
import dev.dialplane.trunks.web.TrunkController.TrunkRequest;
import dev.dialplane.trunks.web.TrunkController.TrunkResponse;
import jakarta.validation.Valid;
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

/**
 * Shared trunks (admin token): the operator's carrier accounts, which the phone numbers of any
 * organization may use. Their limits are shared too: organizations take turns on them.
 */
@RestController
@RequestMapping("/admin/sip-trunks")
class AdminTrunkController {

    private final TrunkService trunks;
    private final JsonMergePatch patcher;

    AdminTrunkController(TrunkService trunks, JsonMergePatch patcher) {
        this.trunks = trunks;
        this.patcher = patcher;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TrunkResponse create(@Valid @RequestBody TrunkRequest request) {
        return TrunkResponse.of(trunks.createShared(request.toDraft(true)));
    }

    @GetMapping
    Page<TrunkResponse> list(
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return trunks.listShared(PageRequest.of(limit, cursor)).map(TrunkResponse::of);
    }

    @GetMapping("/{id}")
    TrunkResponse get(@PathVariable UUID id) {
        return TrunkResponse.of(trunks.getShared(id));
    }

    @PatchMapping("/{id}")
    TrunkResponse update(@PathVariable UUID id, @RequestBody JsonNode patch) {
        var merged = patcher.apply(TrunkRequest.of(trunks.getShared(id)), patch, TrunkRequest.class);
        return TrunkResponse.of(trunks.updateShared(id, merged.toDraft(patch.has("password"))));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        trunks.deleteShared(id);
    }
}
