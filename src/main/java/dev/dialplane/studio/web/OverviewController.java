package dev.dialplane.studio.web;

import dev.dialplane.calls.CallFilter;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.TrunkLoad;
import dev.dialplane.campaigns.CampaignService;
import dev.dialplane.campaigns.CampaignStatus;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.OrganizationService;
import dev.dialplane.studio.StudioUser;
import dev.dialplane.trunks.SipTrunk;
import dev.dialplane.trunks.TrunkService;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The overview: what is live now and how today went, refreshed live. */
@Controller
class OverviewController {

    static final Set<CallStatus> LIVE = EnumSet.of(CallStatus.DIALING, CallStatus.RINGING, CallStatus.IN_PROGRESS);
    private static final Set<CallStatus> ANSWERED = EnumSet.of(CallStatus.IN_PROGRESS, CallStatus.COMPLETED);
    private static final Set<CallStatus> REACHED_AN_OUTCOME = EnumSet.of(
            CallStatus.IN_PROGRESS, CallStatus.COMPLETED, CallStatus.BUSY, CallStatus.NO_ANSWER, CallStatus.FAILED);

    /** Running campaigns the overview shows with their progress; the campaigns page lists them all. */
    static final int RUNNING_CAMPAIGNS_SHOWN = 10;

    private final CallService calls;
    private final OrganizationService organizations;
    private final CampaignService campaigns;
    private final TrunkService trunks;
    private final Clock clock;

    OverviewController(
            CallService calls,
            OrganizationService organizations,
            CampaignService campaigns,
            TrunkService trunks,
            Clock clock) {
        this.calls = calls;
        this.trunks = trunks;
        this.organizations = organizations;
        this.campaigns = campaigns;
        this.clock = clock;
    }

    /** One of the organization's trunks and how busy it is now. */
    record TrunkQueue(SipTrunk trunk, TrunkLoad load) {}

    @GetMapping("/studio")
    String overview(@AuthenticationPrincipal StudioUser user, Model model) {
        panel(user, model);
        return "studio/overview";
    }

    @GetMapping("/studio/overview/panel")
    String panel(@AuthenticationPrincipal StudioUser user, Model model) {
        var tenant = user.tenant();
        var organization = organizations.get(user.organizationId());
        // "today" is the UTC day, as the API's created_after filter takes it
        var today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        var byStatus = new LinkedHashMap<String, Long>();
        long answered = 0;
        long outcomes = 0;
        long total = 0;
        for (var status : CallStatus.values()) {
            var count = calls.count(tenant, new CallFilter(Set.of(status), null, null, null, today, null));
            byStatus.put(status.toString(), count);
            total += count;
            answered += ANSWERED.contains(status) ? count : 0;
            outcomes += REACHED_AN_OUTCOME.contains(status) ? count : 0;
        }
        model.addAttribute("organization", organization);
        model.addAttribute("live", calls.count(tenant, new CallFilter(LIVE, null, null, null, null, null)));
        model.addAttribute("today", byStatus);
        model.addAttribute("todayTotal", total);
        model.addAttribute(
                "answerRate",
                outcomes == 0
                        ? null
                        : BigDecimal.valueOf(answered * 100)
                                .divide(BigDecimal.valueOf(outcomes), 0, RoundingMode.HALF_UP));
        var running = List.of(CampaignStatus.RUNNING);
        model.addAttribute(
                "campaigns",
                campaigns.list(tenant, running, 0, RUNNING_CAMPAIGNS_SHOWN).stream()
                        .map(c -> CampaignPages.Live.of(c, campaigns.progress(tenant, c.id())))
                        .toList());
        model.addAttribute("runningCampaigns", campaigns.count(tenant, running));
        // queue depth per trunk: the organization's own trunks (a shared trunk's load is everyone's)
        var loads = new ArrayList<TrunkQueue>();
        for (var trunk :
                trunks.list(tenant, PageRequest.of(PageRequest.MAX_LIMIT, null)).data()) {
            calls.trunkLoad(tenant, trunk).ifPresent(load -> loads.add(new TrunkQueue(trunk, load)));
        }
        model.addAttribute("trunkQueues", loads);
        return "studio/overview :: panel";
    }
}
