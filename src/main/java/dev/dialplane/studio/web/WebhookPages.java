package dev.dialplane.studio.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.PageRequest;
import dev.dialplane.studio.StudioUser;
import dev.dialplane.webhooks.EndpointWithSecret;
import dev.dialplane.webhooks.WebhookDeliveryService;
import dev.dialplane.webhooks.WebhookEndpointRequests;
import dev.dialplane.webhooks.WebhookEndpointService;
import dev.dialplane.webhooks.WebhookEventType;
import dev.dialplane.webhooks.WebhookFormat;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Webhooks: the organization's endpoints (created and rotated with the secret shown once, deleted),
 * each endpoint's delivery log, and redelivery: the services of {@code /webhook-endpoints}.
 */
@Controller
class WebhookPages {

    private final WebhookEndpointService endpoints;
    private final WebhookDeliveryService deliveries;
    private final WebhookEndpointRequests requests;

    WebhookPages(
            WebhookEndpointService endpoints, WebhookDeliveryService deliveries, WebhookEndpointRequests requests) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.requests = requests;
    }

    @GetMapping("/studio/webhooks")
    String list(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var page = endpoints.list(user.tenant(), PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        model.addAttribute("endpoints", page.data());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("formats", List.of(WebhookFormat.values()));
        model.addAttribute("eventTypes", WebhookEventType.namesIn(WebhookFormat.STANDARD));
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", List.of());
        }
        return "studio/webhooks";
    }

    /** {@code POST /webhook-endpoints} by its own rules; the signing secret is shown on this response only. */
    @PostMapping("/studio/webhooks")
    String create(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String url,
            @RequestParam(required = false) @Nullable String format,
            @RequestParam(name = "eventTypes", required = false) @Nullable List<String> eventTypes,
            @RequestParam(required = false) @Nullable String description,
            Model model,
            HttpServletResponse response) {
        var body = new LinkedHashMap<String, Object>();
        body.put("url", StudioForms.blankToNull(url));
        body.put("format", StudioForms.blankToNull(format));
        // none ticked: every event type, as when the API's body leaves event_types out
        body.put("event_types", eventTypes == null || eventTypes.isEmpty() ? null : eventTypes);
        body.put("description", StudioForms.blankToNull(description));
        body.values().removeIf(java.util.Objects::isNull);
        try {
            var created = endpoints.create(user.tenant(), requests.draft(body));
            return secretShown(created, "created", model, response);
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            model.addAttribute("errors", StudioForms.messages(e));
            model.addAttribute("url", url == null ? "" : url);
            model.addAttribute("description", description == null ? "" : description);
            return list(user, null, model);
        }
    }

    @PostMapping("/studio/webhooks/{id}/rotate-secret")
    String rotate(
            @AuthenticationPrincipal StudioUser user,
            @PathVariable UUID id,
            Model model,
            HttpServletResponse response) {
        var rotated = endpoints.rotateSecret(user.tenant(), id, WebhookEndpointService.DEFAULT_ROTATION_OVERLAP);
        return secretShown(rotated, "rotated", model, response);
    }

    private static String secretShown(
            EndpointWithSecret endpoint, String what, Model model, HttpServletResponse response) {
        // shown on this response only: never again on any page, and the page is not cached
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("endpoint", endpoint.endpoint());
        model.addAttribute("secret", endpoint.secret());
        model.addAttribute("what", what);
        return "studio/webhook-secret";
    }

    @PostMapping("/studio/webhooks/{id}/delete")
    String delete(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        var endpoint = endpoints.get(user.tenant(), id);
        endpoints.delete(user.tenant(), id);
        redirect.addFlashAttribute("notice", "The endpoint " + endpoint.url() + " was deleted.");
        return "redirect:/studio/webhooks";
    }

    /** The endpoint and its delivery log, newest first. */
    @GetMapping("/studio/webhooks/{id}")
    String endpoint(
            @AuthenticationPrincipal StudioUser user,
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        model.addAttribute("endpoint", endpoints.get(user.tenant(), id));
        var page = deliveries.list(user.tenant(), id, PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        model.addAttribute("deliveries", page.data());
        model.addAttribute("nextCursor", page.nextCursor());
        return "studio/webhook";
    }

    /** The API's redeliver: due again now, same webhook-id and body. */
    @PostMapping("/studio/webhooks/{id}/deliveries/{deliveryId}/redeliver")
    String redeliver(
            @AuthenticationPrincipal StudioUser user,
            @PathVariable UUID id,
            @PathVariable UUID deliveryId,
            RedirectAttributes redirect) {
        try {
            deliveries.redeliver(user.tenant(), id, deliveryId);
            redirect.addFlashAttribute("notice", "The delivery was queued to be sent again.");
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            // WEBHOOK_ENDPOINT_DISABLED, in the API's words
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/studio/webhooks/" + id;
    }
}
