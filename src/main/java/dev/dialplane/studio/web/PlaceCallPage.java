package dev.dialplane.studio.web;

import dev.dialplane.calls.CallOptions;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.OutboundCallRequests;
import dev.dialplane.calls.PlaceCall;
import dev.dialplane.common.ApiException;
import dev.dialplane.livekit.SandboxNumbers;
import dev.dialplane.studio.StudioUser;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    private final OutboundCallRequests outbound;
    private final DialChoices choices;

    PlaceCallPage(CallService calls, OutboundCallRequests outbound, DialChoices choices) {
        this.calls = calls;
        this.outbound = outbound;
        this.choices = choices;
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
            @Nullable String ringingTimeoutSeconds,
            @Nullable String maxCallDurationSeconds,
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
                    "80",
                    String.valueOf(CallOptions.DEFAULT_MAX_CALL_DURATION_SECONDS),
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
        try {
            var call = calls.place(request(user, form));
            return "redirect:/studio/calls/" + call.id();
        } catch (ApiException e) {
            // the API's own words: each bad field, or DNC, calling window, credits, agent not found...
            errors.addAll(StudioForms.messages(e));
            response.setStatus(e.status().value());
        }
        return render(user, model, form, errors);
    }

    /**
     * The form as {@code POST /calls/outbound}'s body, read by that route's own rules: the same
     * defaults, ranges and messages. Studio follows the call on its page instead of waiting.
     */
    private PlaceCall request(StudioUser user, PlaceCallForm form) {
        var body = new LinkedHashMap<String, Object>();
        body.put("agent_id", StudioForms.blankToNull(form.agentId()));
        body.put("to_number", StudioForms.blankToNull(form.toNumber()));
        body.put("from_number", StudioForms.blankToNull(form.fromNumber()));
        body.put("priority", StudioForms.blankToNull(form.priority()));
        body.put("krisp_enabled", Boolean.TRUE.equals(form.krispEnabled()));
        body.put("wait_until_answered", false);
        body.put("display_name", StudioForms.blankToNull(form.displayName()));
        body.put("dtmf", StudioForms.blankToNull(form.dtmf()));
        body.put("play_dialtone", Boolean.TRUE.equals(form.playDialtone()));
        body.put("media_encryption", StudioForms.blankToNull(form.mediaEncryption()));
        body.put("ringing_timeout_seconds", StudioForms.number(form.ringingTimeoutSeconds()));
        body.put("max_call_duration_seconds", StudioForms.number(form.maxCallDurationSeconds()));
        body.put("hide_phone_number", Boolean.TRUE.equals(form.hidePhoneNumber()));
        body.put("record", Boolean.TRUE.equals(form.record()));
        body.values().removeIf(java.util.Objects::isNull);
        return outbound.read(user.tenant(), body);
    }

    private String render(StudioUser user, Model model, PlaceCallForm form, List<String> errors) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        choices.addTo(model, user);
        model.addAttribute("magicNumbers", SandboxNumbers.described());
        return "studio/place-call";
    }
}
