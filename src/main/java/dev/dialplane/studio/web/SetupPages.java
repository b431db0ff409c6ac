package dev.dialplane.studio.web;

import dev.dialplane.agents.Agent;
import dev.dialplane.agents.AgentArchitecture;
import dev.dialplane.agents.AgentRequests;
import dev.dialplane.agents.AgentService;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.TrunkLoad;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.PageRequest;
import dev.dialplane.numbers.NumberRequests;
import dev.dialplane.numbers.NumberService;
import dev.dialplane.numbers.PhoneNumber;
import dev.dialplane.studio.StudioUser;
import dev.dialplane.trunks.SipTransport;
import dev.dialplane.trunks.SipTrunk;
import dev.dialplane.trunks.TrunkRequests;
import dev.dialplane.trunks.TrunkService;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * What an organization calls with: its phone numbers, agents (with the numbers that use each) and
 * SIP trunks (a password is only ever shown as set; each own trunk's load live). Each is created,
 * edited and deleted through the services the API calls, its form read by the API route's own
 * rules ({@link NumberRequests}, {@link AgentRequests}, {@link TrunkRequests}): a refusal shows the
 * API's words. The forms' fields carry the API's snake_case names.
 */
@Controller
class SetupPages {

    private final NumberService numbers;
    private final NumberRequests numberRequests;
    private final AgentService agents;
    private final AgentRequests agentRequests;
    private final TrunkService trunks;
    private final TrunkRequests trunkRequests;
    private final CallService calls;

    SetupPages(
            NumberService numbers,
            NumberRequests numberRequests,
            AgentService agents,
            AgentRequests agentRequests,
            TrunkService trunks,
            TrunkRequests trunkRequests,
            CallService calls) {
        this.numbers = numbers;
        this.numberRequests = numberRequests;
        this.agents = agents;
        this.agentRequests = agentRequests;
        this.trunks = trunks;
        this.trunkRequests = trunkRequests;
        this.calls = calls;
    }

    // ---- phone numbers --------------------------------------------------------------------------

    @GetMapping("/studio/phone-numbers")
    String numbers(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var page = numbers.list(user.tenant(), PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        var agentNames = new LinkedHashMap<UUID, String>();
        allAgents(user).forEach(a -> agentNames.put(a.id(), a.name()));
        var trunkNames = new LinkedHashMap<UUID, String>();
        allTrunks(user).forEach(t -> trunkNames.put(t.id(), t.name()));
        model.addAttribute("numbers", page.data());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("agentNames", agentNames);
        model.addAttribute("trunkNames", trunkNames);
        return "studio/phone-numbers";
    }

    @GetMapping("/studio/phone-numbers/new")
    String newNumber(@AuthenticationPrincipal StudioUser user, Model model) {
        return numberForm(user, model, null, Map.of("record", "false"), List.of());
    }

    @GetMapping("/studio/phone-numbers/{id}")
    String editNumber(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, Model model) {
        var number = numbers.get(user.tenant(), id);
        var form = new LinkedHashMap<String, String>();
        form.put("number", number.number());
        form.put("sip_trunk_id", number.sipTrunkId().toString());
        form.put("outbound_agent_id", text(number.outboundAgentId()));
        form.put("inbound_agent_id", text(number.inboundAgentId()));
        form.put("record", String.valueOf(number.record()));
        return numberForm(user, model, number, form, List.of());
    }

    @PostMapping("/studio/phone-numbers")
    String createNumber(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam Map<String, String> form,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        try {
            var created = numbers.create(user.tenant(), numberRequests.read(numberBody(form)));
            redirect.addFlashAttribute("notice", created.number() + " was registered.");
            return "redirect:/studio/phone-numbers";
        } catch (ApiException e) {
            return numberForm(user, model, null, form, refused(e, response));
        }
    }

    @PostMapping("/studio/phone-numbers/{id}")
    String updateNumber(
            @AuthenticationPrincipal StudioUser user,
            @PathVariable UUID id,
            @RequestParam Map<String, String> form,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        var current = numbers.get(user.tenant(), id);
        try {
            var updated = numbers.update(user.tenant(), id, numberRequests.read(numberBody(form)));
            redirect.addFlashAttribute("notice", updated.number() + " was saved.");
            return "redirect:/studio/phone-numbers";
        } catch (ApiException e) {
            return numberForm(user, model, current, form, refused(e, response));
        }
    }

    @PostMapping("/studio/phone-numbers/{id}/delete")
    String deleteNumber(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        var number = numbers.get(user.tenant(), id);
        deleted(redirect, number.number() + " was deleted.", () -> numbers.delete(user.tenant(), id));
        return "redirect:/studio/phone-numbers";
    }

    private static Map<String, Object> numberBody(Map<String, String> form) {
        var body = new LinkedHashMap<String, Object>();
        put(body, "number", form.get("number"));
        put(body, "sip_trunk_id", form.get("sip_trunk_id"));
        put(body, "outbound_agent_id", form.get("outbound_agent_id"));
        put(body, "inbound_agent_id", form.get("inbound_agent_id"));
        body.put("record", "true".equals(form.get("record")));
        return body;
    }

    private String numberForm(
            StudioUser user, Model model, @Nullable PhoneNumber number, Map<String, String> form, List<String> errors) {
        model.addAttribute("number", number);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("agents", allAgents(user));
        model.addAttribute("trunks", allTrunks(user));
        return "studio/phone-number";
    }

    // ---- agents ---------------------------------------------------------------------------------

    @GetMapping("/studio/agents")
    String agents(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var page = agents.list(user.tenant(), PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        var usedBy = new LinkedHashMap<UUID, List<String>>();
        page.data().forEach(a -> usedBy.put(a.id(), numbers.numbersUsingAgent(a.id())));
        model.addAttribute("agents", page.data());
        model.addAttribute("usedBy", usedBy);
        model.addAttribute("nextCursor", page.nextCursor());
        return "studio/agents";
    }

    @GetMapping("/studio/agents/new")
    String newAgent(Model model) {
        return agentForm(model, null, Map.of("architecture", "pipeline"), List.of());
    }

    @GetMapping("/studio/agents/{id}")
    String editAgent(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, Model model) {
        var agent = agents.get(user.tenant(), id);
        var form = new LinkedHashMap<String, String>();
        form.put("name", agent.name());
        form.put("architecture", agent.architecture().toString());
        form.put("livekit_agent_name", text(agent.livekitAgentName()));
        form.put("record", String.valueOf(agent.record()));
        return agentForm(model, agent, form, List.of());
    }

    @PostMapping("/studio/agents")
    String createAgent(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam Map<String, String> form,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        try {
            var created = agents.create(user.tenant(), agentRequests.read(agentBody(form)));
            redirect.addFlashAttribute("notice", "The agent " + created.name() + " was created.");
            return "redirect:/studio/agents";
        } catch (ApiException e) {
            return agentForm(model, null, form, refused(e, response));
        }
    }

    @PostMapping("/studio/agents/{id}")
    String updateAgent(
            @AuthenticationPrincipal StudioUser user,
            @PathVariable UUID id,
            @RequestParam Map<String, String> form,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        var current = agents.get(user.tenant(), id);
        try {
            var updated = agents.update(user.tenant(), id, agentRequests.read(agentBody(form)));
            redirect.addFlashAttribute("notice", "The agent " + updated.name() + " was saved.");
            return "redirect:/studio/agents";
        } catch (ApiException e) {
            return agentForm(model, current, form, refused(e, response));
        }
    }

    @PostMapping("/studio/agents/{id}/delete")
    String deleteAgent(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        var agent = agents.get(user.tenant(), id);
        deleted(redirect, "The agent " + agent.name() + " was deleted.", () -> agents.delete(user.tenant(), id));
        return "redirect:/studio/agents";
    }

    private static Map<String, Object> agentBody(Map<String, String> form) {
        var body = new LinkedHashMap<String, Object>();
        put(body, "name", form.get("name"));
        put(body, "architecture", form.get("architecture"));
        put(body, "livekit_agent_name", form.get("livekit_agent_name"));
        body.put("record", "true".equals(form.get("record")));
        return body;
    }

    private String agentForm(Model model, @Nullable Agent agent, Map<String, String> form, List<String> errors) {
        model.addAttribute("agent", agent);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute(
                "architectures",
                Arrays.stream(AgentArchitecture.values())
                        .map(AgentArchitecture::toString)
                        .toList());
        return "studio/agent";
    }

    // ---- SIP trunks -----------------------------------------------------------------------------

    @GetMapping("/studio/sip-trunks")
    String trunks(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        trunkRows(user, cursor, model);
        return "studio/sip-trunks";
    }

    /** The table, fetched again every few seconds and whenever a call changes: each own trunk's load live. */
    @GetMapping("/studio/sip-trunks/rows")
    String trunkRows(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var page = trunks.list(user.tenant(), PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        var loads = new LinkedHashMap<UUID, TrunkLoad>();
        page.data().forEach(t -> calls.trunkLoad(user.tenant(), t).ifPresent(load -> loads.put(t.id(), load)));
        model.addAttribute("trunks", page.data());
        model.addAttribute("loads", loads);
        model.addAttribute("cursor", cursor == null ? "" : cursor);
        model.addAttribute("nextCursor", page.nextCursor());
        return "studio/sip-trunks :: rows";
    }

    @GetMapping("/studio/sip-trunks/new")
    String newTrunk(Model model) {
        return trunkForm(model, null, Map.of("transport", "auto"), List.of());
    }

    @GetMapping("/studio/sip-trunks/{id}")
    String editTrunk(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, Model model) {
        var trunk = trunks.get(user.tenant(), id);
        var form = new LinkedHashMap<String, String>();
        form.put("name", trunk.name());
        form.put("address", text(trunk.address()));
        form.put("transport", trunk.transport().toString());
        form.put("username", text(trunk.username()));
        form.put("destination_country", text(trunk.destinationCountry()));
        form.put("livekit_trunk_id", text(trunk.livekitTrunkId()));
        form.put("cps_limit", text(trunk.cpsLimit()));
        form.put("max_channels", text(trunk.maxChannels()));
        return trunkForm(model, trunk, form, List.of());
    }

    @PostMapping("/studio/sip-trunks")
    String createTrunk(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam Map<String, String> form,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        try {
            var created = trunks.create(user.tenant(), trunkRequests.read(trunkBody(form)));
            redirect.addFlashAttribute("notice", "The SIP trunk " + created.name() + " was created.");
            return "redirect:/studio/sip-trunks";
        } catch (ApiException e) {
            return trunkForm(model, null, withoutPassword(form), refused(e, response));
        }
    }

    @PostMapping("/studio/sip-trunks/{id}")
    String updateTrunk(
            @AuthenticationPrincipal StudioUser user,
            @PathVariable UUID id,
            @RequestParam Map<String, String> form,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        var current = trunks.get(user.tenant(), id);
        try {
            var updated = trunks.update(user.tenant(), id, trunkRequests.read(trunkBody(form)));
            redirect.addFlashAttribute("notice", "The SIP trunk " + updated.name() + " was saved.");
            return "redirect:/studio/sip-trunks";
        } catch (ApiException e) {
            return trunkForm(model, current, withoutPassword(form), refused(e, response));
        }
    }

    @PostMapping("/studio/sip-trunks/{id}/delete")
    String deleteTrunk(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        var trunk = trunks.get(user.tenant(), id);
        deleted(redirect, "The SIP trunk " + trunk.name() + " was deleted.", () -> trunks.delete(user.tenant(), id));
        return "redirect:/studio/sip-trunks";
    }

    /**
     * The password is write-only: an empty field keeps the stored one (the body leaves it out), a
     * typed one replaces it, and "remove" clears it (the body's {@code null}).
     */
    private static Map<String, Object> trunkBody(Map<String, String> form) {
        var body = new LinkedHashMap<String, Object>();
        put(body, "name", form.get("name"));
        put(body, "address", form.get("address"));
        put(body, "transport", form.get("transport"));
        put(body, "username", form.get("username"));
        put(body, "destination_country", form.get("destination_country"));
        put(body, "livekit_trunk_id", form.get("livekit_trunk_id"));
        var cps = StudioForms.number(form.get("cps_limit"));
        if (cps != null) {
            body.put("cps_limit", cps);
        }
        var channels = StudioForms.number(form.get("max_channels"));
        if (channels != null) {
            body.put("max_channels", channels);
        }
        var password = form.get("password");
        if ("true".equals(form.get("remove_password"))) {
            body.put("password", null);
        } else if (password != null && !password.isEmpty()) {
            body.put("password", password);
        }
        return body;
    }

    /** A refused form is shown again without the password typed into it. */
    private static Map<String, String> withoutPassword(Map<String, String> form) {
        var copy = new LinkedHashMap<>(form);
        copy.remove("password");
        return copy;
    }

    private String trunkForm(Model model, @Nullable SipTrunk trunk, Map<String, String> form, List<String> errors) {
        model.addAttribute("trunk", trunk);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute(
                "transports",
                Arrays.stream(SipTransport.values()).map(SipTransport::toString).toList());
        return "studio/sip-trunk";
    }

    // ---- shared ---------------------------------------------------------------------------------

    private List<Agent> allAgents(StudioUser user) {
        return agents.list(user.tenant(), PageRequest.of(PageRequest.MAX_LIMIT, null))
                .data();
    }

    private List<SipTrunk> allTrunks(StudioUser user) {
        return trunks.list(user.tenant(), PageRequest.of(PageRequest.MAX_LIMIT, null))
                .data();
    }

    /**
     * The API's refusal in its own words: each bad field, or its one sentence (a referenced agent or
     * trunk not found names its field too); the page gets the API's status.
     */
    private static List<String> refused(ApiException e, HttpServletResponse response) {
        response.setStatus(e.status().value());
        return StudioForms.messages(e);
    }

    /** A delete, or the API's reason for refusing it (in use, shared) on the list page. */
    private static void deleted(RedirectAttributes redirect, String notice, Runnable delete) {
        try {
            delete.run();
            redirect.addFlashAttribute("notice", notice);
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", e.getMessage());
        }
    }

    private static void put(Map<String, Object> body, String field, @Nullable String value) {
        if (value != null && !value.isBlank()) {
            body.put(field, value.strip());
        }
    }

    private static String text(@Nullable Object value) {
        return value == null ? "" : value.toString();
    }
}
