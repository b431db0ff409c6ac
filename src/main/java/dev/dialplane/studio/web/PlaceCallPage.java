package dev.dialplane.studio.web;

import dev.dialplane.agents.AgentArchitecture;
import dev.dialplane.agents.AgentService;
import dev.dialplane.calls.CallDialect;
import dev.dialplane.calls.CallOptions;
import dev.dialplane.calls.CallPriority;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.PlaceCall;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.E164;
import dev.dialplane.common.PageRequest;
import dev.dialplane.livekit.SandboxNumbers;
import dev.dialplane.livekit.SipDialRequest.MediaEncryption;
import dev.dialplane.numbers.NumberService;
import dev.dialplane.studio.StudioUser;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * Place a call: the options of {@code POST /calls/outbound} with their defaults, placed through
 * {@link CallService#place} like the API's; the call's page then follows it live.
 */
@Controller
class PlaceCallPage {

    private final CallService calls;
    private final AgentService agents;
    private final NumberService numbers;

    PlaceCallPage(CallService calls, AgentService agents, NumberService numbers) {
        this.calls = calls;
        this.agents = agents;
        this.numbers = numbers;
    }

    /** The form, with the API's defaults as its initial values. */
    record PlaceCallForm(
            @Nullable String agentId,
            @Nullable String toNumber,
            @Nullable String fromNumber,
            @Nullable String priority,
            @Nullable Boolean krispEnabled,
            @Nullable String displayName,
            @Nullable String dtmf,
            @Nullable Boolean playDialtone,
            @Nullable String mediaEncryption,
            @Nullable Integer ringingTimeoutSeconds,
            @Nullable Integer maxCallDurationSeconds,
            @Nullable Boolean hidePhoneNumber,
            @Nullable Boolean record) {

        static PlaceCallForm defaults() {
            return new PlaceCallForm(
                    null,
                    null,
                    null,
                    "normal",
                    true,
                    null,
                    null,
                    false,
                    "ALLOW",
                    80,
                    CallOptions.DEFAULT_MAX_CALL_DURATION_SECONDS,
                    false,
                    false);
        }
    }

    @GetMapping("/studio/calls/new")
    String form(@AuthenticationPrincipal StudioUser user, Model model) {
        return render(user, model, PlaceCallForm.defaults(), List.of());
    }

    @PostMapping("/studio/calls/new")
    String place(
            @AuthenticationPrincipal StudioUser user,
            @ModelAttribute PlaceCallForm form,
            Model model,
            HttpServletResponse response) {
        var errors = new ArrayList<String>();
        var request = request(user, form, errors);
        if (request != null) {
            try {
                var call = calls.place(request);
                return "redirect:/studio/calls/" + call.id();
            } catch (ApiException e) {
                // the API's own message: DNC, calling window, credits, agent or number not found...
                errors.add(e.getMessage());
                e.violations().forEach(v -> errors.add(v.field() + ": " + v.message()));
                response.setStatus(e.status().value());
            } catch (E164.InvalidNumber e) {
                errors.add(e.getMessage());
                response.setStatus(422);
            }
        } else {
            response.setStatus(422);
        }
        return render(user, model, form, errors);
    }

    private @Nullable PlaceCall request(StudioUser user, PlaceCallForm form, List<String> errors) {
        UUID agent = null;
        try {
            agent = form.agentId() == null || form.agentId().isBlank() ? null : UUID.fromString(form.agentId());
        } catch (IllegalArgumentException e) {
            errors.add("agent_id: must be one of your agents");
        }
        if (agent == null && errors.isEmpty()) {
            errors.add("agent_id: is required");
        }
        String to = null;
        if (form.toNumber() == null || form.toNumber().isBlank()) {
            errors.add("to_number: is required");
        } else {
            try {
                to = E164.parse("to_number", form.toNumber().replace(" ", ""));
            } catch (E164.InvalidNumber e) {
                errors.add(e.getMessage());
            }
        }
        String from = null;
        if (form.fromNumber() != null && !form.fromNumber().isBlank()) {
            try {
                from = E164.parse("from_number", form.fromNumber().replace(" ", ""));
            } catch (E164.InvalidNumber e) {
                errors.add(e.getMessage());
            }
        }
        var ringing = form.ringingTimeoutSeconds() == null ? 80 : form.ringingTimeoutSeconds();
        if (ringing < 1 || ringing > 80) {
            errors.add("ringing_timeout_seconds: must be between 1 and 80");
        }
        var maxDuration = form.maxCallDurationSeconds() == null
                ? CallOptions.DEFAULT_MAX_CALL_DURATION_SECONDS
                : form.maxCallDurationSeconds();
        if (maxDuration < 60 || maxDuration > 86400) {
            errors.add("max_call_duration_seconds: must be between 60 and 86400");
        }
        var dtmf = form.dtmf() == null || form.dtmf().isEmpty() ? null : form.dtmf();
        if (dtmf != null && (dtmf.length() > 256 || !dtmf.matches("^[0-9*#A-Da-dw]*$"))) {
            errors.add("dtmf: may contain only 0-9 * # A-D a-d and w (0.5 s pause), at most 256");
        }
        var displayName = form.displayName() == null || form.displayName().isBlank()
                ? null
                : form.displayName().strip();
        if (displayName != null && displayName.length() > 128) {
            errors.add("display_name: must be at most 128 characters");
        }
        MediaEncryption encryption = MediaEncryption.ALLOW;
        try {
            if (form.mediaEncryption() != null) {
                encryption = MediaEncryption.valueOf(form.mediaEncryption());
            }
        } catch (IllegalArgumentException e) {
            errors.add("media_encryption: must be DISABLE, ALLOW or REQUIRE");
        }
        CallPriority priority = CallPriority.NORMAL;
        try {
            if (form.priority() != null) {
                priority = CallPriority.parse(form.priority());
            }
        } catch (RuntimeException e) {
            errors.add("priority: must be low, normal, high or urgent");
        }
        if (!errors.isEmpty() || agent == null || to == null) {
            return null;
        }
        var options = new CallOptions(
                Boolean.TRUE.equals(form.krispEnabled()),
                false,
                displayName,
                dtmf,
                Boolean.TRUE.equals(form.playDialtone()),
                encryption,
                ringing,
                maxDuration,
                Boolean.TRUE.equals(form.hidePhoneNumber()),
                Map.of());
        return new PlaceCall(
                user.tenant(),
                CallDialect.MRASSISTANT,
                agent,
                to,
                from,
                priority,
                options,
                null,
                Boolean.TRUE.equals(form.record()),
                null,
                null,
                null);
    }

    private String render(StudioUser user, Model model, PlaceCallForm form, List<String> errors) {
        var tenant = user.tenant();
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute(
                "agents",
                agents.list(tenant, PageRequest.of(PageRequest.MAX_LIMIT, null)).data().stream()
                        .filter(a -> a.architecture() != AgentArchitecture.TEXT)
                        .toList());
        model.addAttribute(
                "numbers",
                numbers.list(tenant, PageRequest.of(PageRequest.MAX_LIMIT, null))
                        .data());
        model.addAttribute("magicNumbers", SandboxNumbers.described());
        return "studio/place-call";
    }
}
