package dev.dialplane.agents.web;

import dev.dialplane.agents.Agent;
import dev.dialplane.agents.AgentArchitecture;
import dev.dialplane.agents.AgentDraft;
import dev.dialplane.agents.AgentRequests;
import dev.dialplane.agents.AgentService;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.JsonMergePatch;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.orgs.Tenant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
@RequestMapping("/agents")
class AgentController implements AgentRequests {

    private final AgentService agents;
    private final JsonMergePatch patcher;

    AgentController(AgentService agents, JsonMergePatch patcher) {
        this.agents = agents;
        this.patcher = patcher;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    AgentResponse create(Tenant tenant, @Valid @RequestBody AgentRequest request) {
        return AgentResponse.of(agents.create(tenant, request.toDraft()));
    }

    /** Studio's form: the same body, read by the same rules. */
    @Override
    public AgentDraft read(Map<String, Object> body) {
        return patcher.read(body, AgentRequest.class).toDraft();
    }

    @GetMapping
    Page<AgentResponse> list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return agents.list(tenant, PageRequest.of(limit, cursor)).map(AgentResponse::of);
    }

    @GetMapping("/{id}")
    AgentResponse get(Tenant tenant, @PathVariable UUID id) {
        return AgentResponse.of(agents.get(tenant, id));
    }

    @PatchMapping("/{id}")
    AgentResponse update(Tenant tenant, @PathVariable UUID id, @RequestBody JsonNode patch) {
        var current = AgentRequest.of(agents.get(tenant, id));
        var merged = patcher.apply(current, patch, AgentRequest.class);
        return AgentResponse.of(agents.update(tenant, id, merged.toDraft()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Tenant tenant, @PathVariable UUID id) {
        agents.delete(tenant, id);
    }

    record AgentRequest(
            @NotBlank @Size(max = 200) @SingleLine String name,
            @NotNull AgentArchitecture architecture,

            @Nullable @Size(max = 128) @Pattern(
                    regexp = "[A-Za-z0-9][A-Za-z0-9._-]*",
                    message = "may contain only letters, digits, '.', '_' and '-'")
            String livekitAgentName,

            @Nullable Boolean record) {

        static AgentRequest of(Agent agent) {
            return new AgentRequest(agent.name(), agent.architecture(), agent.livekitAgentName(), agent.record());
        }

        AgentDraft toDraft() {
            var agentName = livekitAgentName == null || livekitAgentName.isBlank() ? null : livekitAgentName;
            return new AgentDraft(name.strip(), architecture, agentName, Boolean.TRUE.equals(record));
        }
    }

    record AgentResponse(
            UUID id,
            String name,
            AgentArchitecture architecture,
            @Nullable String livekitAgentName,
            boolean record,
            Instant createdAt,
            Instant updatedAt) {

        static AgentResponse of(Agent agent) {
            return new AgentResponse(
                    agent.id(),
                    agent.name(),
                    agent.architecture(),
                    agent.livekitAgentName(),
                    agent.record(),
                    agent.createdAt(),
                    agent.updatedAt());
        }
    }
}
