package dev.dialplane.studio.web;

import dev.dialplane.campaigns.Campaign;
import dev.dialplane.campaigns.CampaignEstimates;
import dev.dialplane.campaigns.CampaignProgress;
import dev.dialplane.campaigns.CampaignRequests;
import dev.dialplane.campaigns.CampaignResultsCsv;
import dev.dialplane.campaigns.CampaignService;
import dev.dialplane.campaigns.CampaignTargets;
import dev.dialplane.campaigns.ContactCsv;
import dev.dialplane.campaigns.ContactStatus;
import dev.dialplane.campaigns.RetryPolicy;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.TextUploads;
import dev.dialplane.studio.StudioUser;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Campaigns: the list, creating one from a CSV upload, a campaign's page (its controls, live
 * progress, events and contacts) and its results CSV. Every step goes through the services the
 * API uses: the form is read by {@code POST /campaigns}' own rules ({@link CampaignRequests}), the
 * upload appended as {@code POST /campaigns/{id}/targets} appends it, the results written by the
 * API's own writer.
 *
 * <p>The preview is the draft itself: an upload creates a draft campaign (nothing is called until
 * it is started) and appends the file's rows to it, then lands on the draft's page, which shows the
 * rows parsed, the rows refused with their row numbers and the API's messages, the counts, and the
 * estimate; Start is there. Nothing is stashed between requests (no 10 MB hidden field, no
 * server-side copy of the file that could expire or differ between two nodes), the file is read
 * once as a stream, and the preview survives a reload or a second node: it is the database's.
 * A draft not wanted is canceled from its page.
 */
@Controller
class CampaignPages {

    private static final int PAGE_SIZE = 25;
    private static final int CONTACTS_PAGE_SIZE = 25;

    private final CampaignService campaigns;
    private final CampaignTargets targets;
    private final CampaignRequests requests;
    private final CampaignResultsCsv results;
    private final DialChoices choices;

    CampaignPages(
            CampaignService campaigns,
            CampaignTargets targets,
            CampaignRequests requests,
            CampaignResultsCsv results,
            DialChoices choices) {
        this.campaigns = campaigns;
        this.targets = targets;
        this.requests = requests;
        this.results = results;
        this.choices = choices;
    }

    /**
     * A campaign with where it stands: contacts done, in per cent, and its progress (rate, expected
     * end, estimates), which the list leaves out (null): it costs queries per campaign.
     */
    record Live(Campaign campaign, @Nullable CampaignProgress progress, long done, long percent) {

        static Live of(Campaign campaign, @Nullable CampaignProgress progress) {
            var total = campaign.total();
            var done = total - campaign.count(ContactStatus.PENDING) - campaign.count(ContactStatus.CALLING);
            return new Live(campaign, progress, done, total == 0 ? 0 : done * 100 / total);
        }

        public long calling() {
            return campaign.count(ContactStatus.CALLING);
        }

        public String dialRate() {
            return String.format(Locale.ROOT, "%.1f", measured().dialRatePerMinute());
        }

        public String estimatedCost() {
            return measured().estimatedCost().stripTrailingZeros().toPlainString();
        }

        public String estimatedDuration() {
            return duration(measured().estimatedDuration());
        }

        private CampaignProgress measured() {
            return Objects.requireNonNull(progress, "the campaign's progress was not read");
        }

        public List<Map.Entry<String, Long>> counts() {
            return Arrays.stream(ContactStatus.values())
                    .map(s -> Map.entry(s.toString(), campaign.count(s)))
                    .toList();
        }
    }

    static String duration(Duration duration) {
        var minutes = duration.toMinutes();
        return minutes >= 60 ? (minutes / 60) + " h " + (minutes % 60) + " min" : minutes + " min";
    }

    @GetMapping("/studio/campaigns")
    String list(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var page = campaigns.list(user.tenant(), PageRequest.of(PAGE_SIZE, StudioForms.blankToNull(cursor)));
        model.addAttribute(
                "campaigns", page.data().stream().map(c -> Live.of(c, null)).toList());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("cursor", cursor == null ? "" : cursor);
        return "studio/campaigns";
    }

    /**
     * The create form's fields, as typed. The retry outcomes and calling days are checkboxes; the
     * delays a list of minutes ("5, 30"); the start a UTC date and time.
     */
    record CampaignForm(
            @Nullable String name,
            @Nullable String agentId,
            @Nullable String fromNumber,
            @Nullable String concurrentCalls,
            @Nullable String priority,
            @Nullable String windowStart,
            @Nullable String windowEnd,
            @Nullable List<String> windowDays,
            @Nullable Boolean retryFailed,
            @Nullable String retryAttempts,
            @Nullable List<String> retryOn,
            @Nullable String retryDelays,
            @Nullable String scheduleAt) {

        /** The API's defaults: one call at a time, low priority, no retries, TalkifAI's retry policy. */
        static CampaignForm defaults() {
            return new CampaignForm(
                    null,
                    null,
                    null,
                    "1",
                    "low",
                    null,
                    null,
                    List.of("mon", "tue", "wed", "thu", "fri"),
                    false,
                    "0",
                    RetryPolicy.DEFAULT.on().stream().map(Object::toString).toList(),
                    String.join(
                            ", ",
                            RetryPolicy.DEFAULT.delays().stream()
                                    .map(d -> Long.toString(d.toMinutes()))
                                    .toList()),
                    null);
        }

        boolean offers(@Nullable List<String> values, String value) {
            return values != null && values.contains(value);
        }

        public boolean day(String day) {
            return offers(windowDays, day);
        }

        public boolean retries(String outcome) {
            return offers(retryOn, outcome);
        }
    }

    @GetMapping("/studio/campaigns/new")
    String form(@AuthenticationPrincipal StudioUser user, Model model) {
        return render(user, model, CampaignForm.defaults(), List.of());
    }

    /**
     * Reads the form by {@code POST /campaigns}' rules and the file's header row; when both are
     * fine, creates the draft, appends the file's rows to it and shows the draft (the preview).
     */
    @PostMapping(path = "/studio/campaigns/new", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    String create(
            @AuthenticationPrincipal StudioUser user,
            @ModelAttribute CampaignForm form,
            @RequestParam(name = "file", required = false) @Nullable MultipartFile file,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        var tenant = user.tenant();
        var errors = new ArrayList<String>();
        var status = 200;
        dev.dialplane.campaigns.CampaignDraft draft = null;
        try {
            draft = requests.readDraft(body(form));
        } catch (ApiException e) {
            // the API's own words, field by field
            errors.addAll(StudioForms.messages(e));
            status = e.status().value();
        }
        try (var in = file == null ? InputStream.nullInputStream() : file.getInputStream();
                var reader = TextUploads.reader(in, charset(file));
                var csv = ContactCsv.open(reader)) {
            if (draft == null) {
                response.setStatus(status);
                return render(user, model, form, errors);
            }
            var id = campaigns.create(tenant, draft).campaign().id();
            try {
                redirect.addFlashAttribute("upload", targets.append(tenant, id, callingFrom(csv, form.fromNumber())));
            } catch (ApiException e) {
                // a file unreadable from some row on, or past a campaign's size: the rows before are kept
                redirect.addFlashAttribute("error", e.getMessage());
            }
            return "redirect:/studio/campaigns/" + id;
        } catch (ApiException e) {
            // the file's header (no number column, empty, not CSV), or the agent (not found, text)
            errors.add(e.getMessage());
            response.setStatus(draft == null ? status : e.status().value());
            return render(user, model, form, errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's charset when its part names one; UTF-8 otherwise. */
    private static @Nullable String charset(@Nullable MultipartFile file) {
        if (file == null || file.getContentType() == null) {
            return null;
        }
        try {
            var charset = MediaType.parseMediaType(Objects.requireNonNull(file.getContentType()))
                    .getParameter("charset");
            return charset == null ? null : charset.replace("\"", "");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The rows, each calling from {@code fromNumber} unless its own {@code from_number} column says otherwise. */
    private static Iterator<CampaignTargets.Line> callingFrom(
            Iterator<CampaignTargets.Line> rows, @Nullable String fromNumber) {
        var from = StudioForms.blankToNull(fromNumber);
        if (from == null) {
            return rows;
        }
        Function<CampaignTargets.Line, CampaignTargets.Line> withCaller =
                line -> line.fromNumber() == null || line.fromNumber().isBlank()
                        ? new CampaignTargets.Line(line.row(), line.toNumber(), from, line.context())
                        : line;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public CampaignTargets.Line next() {
                return withCaller.apply(rows.next());
            }
        };
    }

    /** The form as {@code POST /campaigns}' body (without targets), for that route's rules to read. */
    private static Map<String, Object> body(CampaignForm form) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", StudioForms.blankToNull(form.name()));
        body.put("agent_id", StudioForms.blankToNull(form.agentId()));
        body.put("concurrent_calls", StudioForms.number(form.concurrentCalls()));
        body.put("priority", StudioForms.blankToNull(form.priority()));
        body.put("retry_failed", Boolean.TRUE.equals(form.retryFailed()));
        body.put("retry_attempts", StudioForms.number(form.retryAttempts()));
        var policy = new LinkedHashMap<String, Object>();
        policy.put("on", form.retryOn() == null ? List.of() : form.retryOn());
        var delays = StudioForms.blankToNull(form.retryDelays());
        if (delays != null) {
            var minutes = new ArrayList<Object>();
            for (var part : delays.split("[,\\s]+")) {
                if (!part.isEmpty()) {
                    minutes.add(Objects.requireNonNull(StudioForms.number(part)));
                }
            }
            policy.put("delays_minutes", minutes);
        }
        body.put("retry_policy", policy);
        var start = StudioForms.blankToNull(form.windowStart());
        var end = StudioForms.blankToNull(form.windowEnd());
        if (start != null || end != null) {
            var window = new LinkedHashMap<String, Object>();
            window.put("start", start);
            window.put("end", end);
            window.put("days", form.windowDays() == null ? List.of() : form.windowDays());
            body.put("calling_window", window);
        }
        var at = StudioForms.blankToNull(form.scheduleAt());
        // the form's date and time are UTC (a datetime-local field has no offset)
        body.put("schedule_at", at == null || at.matches(".*(Z|[+-]\\d\\d:\\d\\d)$") ? at : at + "Z");
        body.values().removeIf(Objects::isNull);
        return body;
    }

    private String render(StudioUser user, Model model, CampaignForm form, List<String> errors) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        choices.addTo(model, user);
        model.addAttribute("days", List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun"));
        model.addAttribute(
                "outcomes",
                Arrays.stream(RetryPolicy.Outcome.values())
                        .map(Object::toString)
                        .toList());
        return "studio/campaign-new";
    }

    @GetMapping("/studio/campaigns/{id}")
    String campaign(
            @AuthenticationPrincipal StudioUser user,
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        panel(user, id, model);
        contacts(user, id, status, cursor, model);
        model.addAttribute("billedMinutes", CampaignEstimates.ASSUMED_BILLED_MINUTES);
        model.addAttribute("callMinutes", CampaignEstimates.ASSUMED_CALL_LENGTH.toMinutes());
        model.addAttribute(
                "statuses",
                Arrays.stream(ContactStatus.values()).map(Object::toString).toList());
        return "studio/campaign";
    }

    /** The campaign's live part: status, controls, counts, progress and its events. */
    @GetMapping("/studio/campaigns/{id}/panel")
    String panel(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, Model model) {
        var tenant = user.tenant();
        var campaign = campaigns.get(tenant, id);
        model.addAttribute("live", Live.of(campaign, campaigns.progress(tenant, id)));
        model.addAttribute("events", campaigns.events(tenant, id));
        model.addAttribute("rateWindow", CampaignProgress.RATE_WINDOW.toMinutes());
        return "studio/campaign :: panel";
    }

    /** A page of the campaign's contacts, of one status or all, in row order; live too. */
    @GetMapping("/studio/campaigns/{id}/contacts")
    String contacts(
            @AuthenticationPrincipal StudioUser user,
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var statuses = new ArrayList<ContactStatus>();
        var chosen = StudioForms.blankToNull(status);
        if (chosen != null) {
            var parsed = ContactStatus.parse(chosen);
            if (parsed == null) {
                throw ApiException.badRequest("INVALID_PARAMETER", "No contact status " + chosen + ".");
            }
            statuses.add(parsed);
        }
        var after = afterRow(cursor);
        var rows = campaigns.contacts(user.tenant(), id, after, statuses, CONTACTS_PAGE_SIZE);
        var shown = rows.stream().limit(CONTACTS_PAGE_SIZE).toList();
        model.addAttribute("campaignId", id);
        model.addAttribute("contacts", shown);
        model.addAttribute("contactStatus", chosen == null ? "" : chosen);
        model.addAttribute("cursor", after == 0 ? "" : Long.toString(after));
        model.addAttribute(
                "nextCursor",
                rows.size() > CONTACTS_PAGE_SIZE ? Long.toString(shown.getLast().row()) : null);
        return "studio/campaign :: contacts";
    }

    /** The contacts' cursor: the row the page starts after. */
    private static long afterRow(@Nullable String cursor) {
        var text = StudioForms.blankToNull(cursor);
        if (text == null) {
            return 0;
        }
        if (!text.matches("[0-9]{1,9}")) {
            throw ApiException.badRequest(
                    "INVALID_CURSOR", "cursor is not valid: follow the page's own link to the next contacts");
        }
        return Long.parseLong(text);
    }

    @PostMapping("/studio/campaigns/{id}/start")
    String start(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        return change(id, redirect, "The campaign was started.", () -> campaigns.start(user.tenant(), id));
    }

    @PostMapping("/studio/campaigns/{id}/pause")
    String pause(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        return change(
                id,
                redirect,
                "The campaign was paused: no new calls; live calls end normally.",
                () -> campaigns.pause(user.tenant(), id));
    }

    @PostMapping("/studio/campaigns/{id}/resume")
    String resume(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        return change(id, redirect, "The campaign was resumed.", () -> campaigns.resume(user.tenant(), id));
    }

    @PostMapping("/studio/campaigns/{id}/cancel")
    String cancel(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        return change(
                id,
                redirect,
                "The campaign was canceled: its contacts not called are canceled; live calls end normally.",
                () -> campaigns.cancel(user.tenant(), id));
    }

    private static String change(UUID id, RedirectAttributes redirect, String done, Runnable action) {
        try {
            action.run();
            redirect.addFlashAttribute("notice", done);
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            // the API's own words: not in a state that allows it (409)
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/studio/campaigns/" + id;
    }

    /** The API's results CSV, by the API's own writer, streamed. */
    @GetMapping("/studio/campaigns/{id}/results.csv")
    ResponseEntity<StreamingResponseBody> results(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id) {
        var tenant = user.tenant();
        results.require(tenant, id);
        StreamingResponseBody body = out -> results.write(tenant, id, out);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"" + CampaignResultsCsv.filename(id) + "\"")
                .body(body);
    }
}
