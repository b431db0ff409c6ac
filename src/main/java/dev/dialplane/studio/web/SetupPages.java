package dev.dialplane.studio.web;

import dev.dialplane.agents.AgentService;
import dev.dialplane.common.PageRequest;
import dev.dialplane.numbers.NumberService;
import dev.dialplane.studio.StudioUser;
import dev.dialplane.trunks.TrunkService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * What an organization calls with: its phone numbers, agents (with the numbers that use each) and
 * SIP trunks (a password is only ever shown as set). Read here; changed through the API for now.
 */
@Controller
class SetupPages {

    private final NumberService numbers;
    private final AgentService agents;
    private final TrunkService trunks;

    SetupPages(NumberService numbers, AgentService agents, TrunkService trunks) {
        this.numbers = numbers;
        this.agents = agents;
        this.trunks = trunks;
    }

    @GetMapping("/studio/phone-numbers")
    String numbers(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var page = numbers.list(user.tenant(), PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        var agentNames = new LinkedHashMap<UUID, String>();
        agents.list(user.tenant(), PageRequest.of(PageRequest.MAX_LIMIT, null))
                .data()
                .forEach(a -> agentNames.put(a.id(), a.name()));
        var trunkNames = new LinkedHashMap<UUID, String>();
        trunks.list(user.tenant(), PageRequest.of(PageRequest.MAX_LIMIT, null))
                .data()
                .forEach(t -> trunkNames.put(t.id(), t.name()));
        model.addAttribute("numbers", page.data());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("agentNames", agentNames);
        model.addAttribute("trunkNames", trunkNames);
        return "studio/phone-numbers";
    }

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

    @GetMapping("/studio/sip-trunks")
    String trunks(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var page = trunks.list(user.tenant(), PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        model.addAttribute("trunks", page.data());
        model.addAttribute("nextCursor", page.nextCursor());
        return "studio/sip-trunks";
    }
}
