package dev.dialplane.trunks.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.JsonMergePatch;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.trunks.SipTransport;
import dev.dialplane.trunks.SipTrunk;
import dev.dialplane.trunks.TrunkDraft;
import dev.dialplane.trunks.TrunkRequests;
import dev.dialplane.trunks.TrunkService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Locale;
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
@RequestMapping("/sip-trunks")
class TrunkController implements TrunkRequests {

    private final TrunkService trunks;
    private final JsonMergePatch patcher;

    TrunkController(TrunkService trunks, JsonMergePatch patcher) {
        this.trunks = trunks;
        this.patcher = patcher;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TrunkResponse create(Tenant tenant, @Valid @RequestBody TrunkRequest request) {
        return TrunkResponse.of(trunks.create(tenant, request.toDraft(true)));
    }

    /** Studio's form: the same body, read by the same rules; without {@code password} the stored one stays. */
    @Override
    public TrunkDraft read(Map<String, Object> body) {
        return patcher.read(body, TrunkRequest.class).toDraft(body.containsKey("password"));
    }

    @GetMapping
    Page<TrunkResponse> list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return trunks.list(tenant, PageRequest.of(limit, cursor)).map(TrunkResponse::of);
    }

    @GetMapping("/{id}")
    TrunkResponse get(Tenant tenant, @PathVariable UUID id) {
        return TrunkResponse.of(trunks.get(tenant, id));
    }

    /** Merge patch; {@code password} is replaced only when the patch names it ({@code null} removes it). */
    @PatchMapping("/{id}")
    TrunkResponse update(Tenant tenant, @PathVariable UUID id, @RequestBody JsonNode patch) {
        var current = TrunkRequest.of(trunks.get(tenant, id));
        var merged = patcher.apply(current, patch, TrunkRequest.class);
        return TrunkResponse.of(trunks.update(tenant, id, merged.toDraft(patch.has("password"))));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Tenant tenant, @PathVariable UUID id) {
        trunks.delete(tenant, id);
    }

    record TrunkRequest(
            @NotBlank @Size(max = 200) @SingleLine String name,

            @Nullable @Size(max = 255) @SingleLine(readable = false) @SipAddress
            String address,

            @Nullable SipTransport transport,

            @Nullable @Size(max = 128) @SingleLine(readable = false)
            String username,

            @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
            @Nullable @Size(min = 1, max = 256) @SingleLine(readable = false)
            String password,

            @Nullable @Pattern(regexp = "[A-Za-z]{2}", message = "must be an ISO 3166-1 alpha-2 country code such as US") String destinationCountry,

            @Nullable @Size(max = 64) @Pattern(regexp = "ST_[A-Za-z0-9]+", message = "must be a LiveKit outbound trunk id such as ST_xxxxxxxx") String livekitTrunkId,

            @Nullable @Min(value = 1, message = "must be at least 1 call per second") @Max(10000) Integer cpsLimit,

            @Nullable @Min(value = 0, message = "must be 0 (paused) or more") @Max(value = 1000000) Integer maxChannels) {

        static TrunkRequest of(SipTrunk trunk) {
            return new TrunkRequest(
                    trunk.name(),
                    trunk.address(),
                    trunk.transport(),
                    trunk.username(),
                    null,
                    trunk.destinationCountry(),
                    trunk.livekitTrunkId(),
                    trunk.cpsLimit(),
                    trunk.maxChannels());
        }

        TrunkDraft toDraft(boolean replacePassword) {
            return new TrunkDraft(
                    name.strip(),
                    address,
                    transport == null ? SipTransport.AUTO : transport,
                    username == null || username.isEmpty() ? null : username,
                    replacePassword,
                    password,
                    destinationCountry == null ? null : destinationCountry.toUpperCase(Locale.ROOT),
                    livekitTrunkId,
                    cpsLimit,
                    maxChannels);
        }

        @Override
        public String toString() {
            return "TrunkRequest[name=" + name + ", address=" + address + ", password=<redacted>]";
        }
    }

    /**
     * The password is never returned; {@code has_password} says whether one is stored. A
     * {@code shared} trunk is the operator's, usable by every organization's numbers.
     */
    record TrunkResponse(
            UUID id,
            boolean shared,
            String name,
            @Nullable String address,
            SipTransport transport,
            @Nullable String username,
            boolean hasPassword,
            @Nullable String destinationCountry,
            @Nullable String livekitTrunkId,
            @Nullable Integer cpsLimit,
            @Nullable Integer maxChannels,
            Instant createdAt,
            Instant updatedAt) {

        static TrunkResponse of(SipTrunk trunk) {
            return new TrunkResponse(
                    trunk.id(),
                    trunk.shared(),
                    trunk.name(),
                    trunk.address(),
                    trunk.transport(),
                    trunk.username(),
                    trunk.hasPassword(),
                    trunk.destinationCountry(),
                    trunk.livekitTrunkId(),
                    trunk.cpsLimit(),
                    trunk.maxChannels(),
                    trunk.createdAt(),
                    trunk.updatedAt());
        }
    }
}
