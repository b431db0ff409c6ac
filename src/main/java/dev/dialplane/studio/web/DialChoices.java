package dev.dialplane.studio.web;

import dev.dialplane.agents.AgentArchitecture;
import dev.dialplane.agents.AgentService;
import dev.dialplane.common.PageRequest;
import dev.dialplane.numbers.NumberService;
import dev.dialplane.studio.StudioUser;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * The choices of a form that places calls (a single call, a campaign): the organization's agents
 * that can take a call (a text-only agent cannot, and the API would refuse it) and its numbers.
 */
@Component
class DialChoices {

    private final AgentService agents;
    private final NumberService numbers;

    DialChoices(AgentService agents, NumberService numbers) {
        this.agents = agents;
        this.numbers = numbers;
    }

    /** Adds {@code agents} and {@code numbers} to the page's model. */
    void addTo(Model model, StudioUser user) {
        var tenant = user.tenant();
        model.addAttribute(
                "agents",
                agents.list(tenant, PageRequest.of(PageRequest.MAX_LIMIT, null)).data().stream()
                        .filter(a -> a.architecture() != AgentArchitecture.TEXT)
                        .toList());
        model.addAttribute(
                "numbers",
                numbers.list(tenant, PageRequest.of(PageRequest.MAX_LIMIT, null))
                        .data());
    }
}
