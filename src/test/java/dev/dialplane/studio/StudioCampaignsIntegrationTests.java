package dev.dialplane.studio;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Studio's campaign pages in a real browser: a CSV previewed as a draft with its row errors, then
 * started, paused, resumed and canceled while its progress changes without a reload; the results
 * CSV; a viewer's and another organization's view.
 */
class StudioCampaignsIntegrationTests extends StudioBrowserTest {

    @Test
    void aCsvIsPreviewedAsADraftThenRunLiveAndItsResultsDownloaded() throws Exception {
        var email = email();
        var setup = setupWithOwner(email);
        var page = signIn(browser(), email);
        var a = uniqueNumber();
        var b = uniqueNumber();
        var c = uniqueNumber();
        var d = uniqueNumber();
        var csv = "phone,first_name\n"
                + a + ",Ada\n"
                + "not-a-number,Bob\n"
                + b + ",Cy\n"
                + a + ",Ada again\n"
                + c + ",Dee\n"
                + d + ",Eve\n";

        page.navigate(base() + "/studio/campaigns");
        assertThat(page.locator("main")).containsText("No campaigns yet: create one from a CSV");
        check(page, "campaigns-empty");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New campaign"))
                .click();
        check(page, "campaign-new");
        page.getByLabel("Name (required, 1–255 characters)").fill("Spring renewals");
        page.locator("#file").setInputFiles(new FilePayload("renewals.csv", "text/csv", bytes(csv)));
        page.locator("#upload").click();
        page.waitForURL(Pattern.compile(".*/studio/campaigns/[0-9a-f-]{36}$"));
        var id = page.url().substring(page.url().lastIndexOf('/') + 1);

        // the preview: a draft holding the valid rows, the refused ones by row with the API's words
        assertThat(page.locator("#campaign-status")).hasText("draft");
        assertThat(page.locator("#upload-added")).hasText("4");
        assertThat(page.locator("#upload-invalid")).hasText("1");
        assertThat(page.locator("#upload-duplicates")).hasText("1");
        var badRow = page.locator("#row-errors tr[data-row='3']");
        var duplicateRow = page.locator("#row-errors tr[data-row='5']");
        assertThat(badRow).containsText("not-a-number");
        assertThat(duplicateRow).containsText("appears earlier in this upload (row 2)");
        assertThat(page.locator("#contact-rows tbody tr")).hasCount(4);
        assertThat(page.locator("#contact-1")).containsText(a);
        assertThat(page.locator("#contact-1")).containsText("Ada");
        assertThat(page.locator("#contact-1")).containsText("pending");
        assertThat(page.locator("#campaign-remaining")).hasText("4");
        assertThat(page.locator("#assumptions")).containsText("billed 2 minutes");
        var estimate = setup.api().get("/campaigns/" + id + "/progress").json();
        assertThat(page.locator("#campaign-cost"))
                .hasText(estimate.get("estimated_cost")
                        .decimalValue()
                        .stripTrailingZeros()
                        .toPlainString());
        check(page, "campaign-draft");
        // the API reads the same file with the same rules and messages
        var twin = campaign(
                        setup,
                        body(
                                "agent_id",
                                setup.agentId(),
                                "name",
                                "API twin",
                                "targets",
                                List.of(Map.of("to_number", uniqueNumber())),
                                "draft",
                                true))
                .get("campaign_id")
                .asString();
        var api = setup.api().send("POST", "/campaigns/" + twin + "/targets", "text/csv", csv);
        assertThat(api.status()).as(api.text()).isEqualTo(200);
        var apiErrors = api.json().get("errors");
        assertThat(badRow.locator("td").nth(2))
                .hasText(apiErrors.get(0).get("detail").asString());
        assertThat(duplicateRow.locator("td").nth(2))
                .hasText(apiErrors.get(1).get("detail").asString());
        assertThat(setup.api().get("/campaigns/" + id).json().get("status").asString())
                .isEqualTo("draft");

        // started: the first contact is dialed and the page follows it without a reload
        page.locator("#start").click();
        assertThat(page.locator("#campaign-status")).hasText("running");
        page.evaluate("() => { window.sameDocument = true; }");
        var first = liveRoom(setup, a);
        assertThat(page.locator("#contact-1")).containsText("calling", containing());
        assertThat(page.locator("#campaign-counts tr[data-status='calling'] .count"))
                .hasText("1", waiting());
        LIVEKIT.hangUpByCallee(first);
        deliverWebhooks();
        assertThat(page.locator("#contact-1")).containsText("completed", containing());
        assertThat(page.locator("#campaign-done")).hasText("1 of 4", waiting());
        var second = liveRoom(setup, b);
        assertThat(page.locator("#contact-2")).containsText("calling", containing());
        assertThat(page.evaluate("() => window.sameDocument === true")).isEqualTo(true);
        check(page, "campaign-running");

        // the overview shows it running, with its progress
        page.navigate(base() + "/studio");
        assertThat(page.locator("#running-" + id)).containsText("Spring renewals");
        assertThat(page.locator("#running-" + id)).containsText("1 of 4 done");
        check(page, "overview-campaigns");
        page.navigate(base() + "/studio/campaigns");
        assertThat(page.locator("#campaign-" + id)).containsText("running");
        assertThat(page.locator("#campaign-" + id)).containsText("1 of 4 done");
        check(page, "campaigns");
        page.navigate(base() + "/studio/campaigns/" + id);

        // paused: the live call goes on and ends; nothing new is dialed
        page.locator("#pause").click();
        assertThat(page.locator("#campaign-status")).hasText("paused");
        assertThat(page.locator("main")).containsText("The campaign was paused");
        LIVEKIT.hangUpByCallee(second);
        deliverWebhooks();
        assertThat(page.locator("#contact-2")).containsText("completed", containing());
        assertThat(page.locator("#contact-3")).containsText("pending");

        // resumed: the next contact is dialed
        page.locator("#resume").click();
        assertThat(page.locator("#campaign-status")).hasText("running");
        var third = liveRoom(setup, c);
        assertThat(page.locator("#contact-3")).containsText("calling", containing());

        // canceled, after a confirmation: the contact not called is canceled, the live call ends normally
        page.onceDialog(dialog -> {
            assertThat(dialog.message()).startsWith("Cancel this campaign?");
            dialog.accept();
        });
        page.locator("#cancel").click();
        assertThat(page.locator("#campaign-status")).hasText("canceled");
        assertThat(page.locator("#contact-4")).containsText("canceled");
        assertThat(page.locator("#cancel")).hasCount(0);
        page.evaluate("() => { window.sameDocument = true; }");
        LIVEKIT.hangUpByCallee(third);
        deliverWebhooks();
        assertThat(page.locator("#contact-3")).containsText("completed", containing());
        assertThat(page.locator("#campaign-counts tr[data-status='completed'] .count"))
                .hasText("3", waiting());
        assertThat(page.locator("#campaign-events")).containsText("paused");
        assertThat(page.locator("#campaign-events")).containsText("resumed");
        assertThat(page.locator("#campaign-events")).containsText("canceled");
        assertThat(page.evaluate("() => window.sameDocument === true")).isEqualTo(true);
        check(page, "campaign-canceled");

        // the filter: only the canceled contact
        page.getByLabel("Status").selectOption("canceled");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                .click();
        assertThat(page.locator("#contact-rows tbody tr")).hasCount(1);
        assertThat(page.locator("#contact-4")).containsText(d);

        // the results: the API's own CSV, row for row
        var download = page.waitForDownload(() -> page.locator("#results").click());
        var downloaded = Files.readString(download.path(), StandardCharsets.UTF_8);
        assertThat(download.suggestedFilename()).isEqualTo("campaign-" + id + "-results.csv");
        assertThat(downloaded)
                .isEqualTo(setup.api().get("/campaigns/" + id + "/results.csv").text());
        var lines = downloaded.strip().split("\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).startsWith("row,to_number,from_number,status,attempts,last_call_id");
        assertThat(lines[1]).startsWith("1," + a + ",,completed,1,");
        assertThat(lines[2]).startsWith("2," + b + ",,completed,1,");
        assertThat(lines[3]).startsWith("3," + c + ",,completed,1,");
        assertThat(lines[4]).startsWith("4," + d + ",,canceled,0,");
        assertThat(lines[4]).contains("Eve");
    }

    @Test
    void theFormShowsTheApisOwnMessagesAndCreatesNothingOnARefusal() {
        var email = email();
        var setup = setupWithOwner(email);
        var page = signIn(browser(), email);
        page.navigate(base() + "/studio/campaigns/new");

        // the route's own ranges and messages
        page.getByLabel("Name (required, 1–255 characters)").fill("Too fast");
        page.locator("#concurrent_calls").evaluate("e => { e.removeAttribute('max'); e.value = '11'; }");
        page.locator("#file").setInputFiles(new FilePayload("ok.csv", "text/csv", bytes("phone\n" + TO + "\n")));
        page.locator("#upload").click();
        assertThat(page.locator("#campaign-errors")).containsText("concurrent_calls: must be between 1 and 10");
        check(page, "campaign-new-refused");

        // a file without a number column: the API's MISSING_NUMBER_COLUMN sentence
        var noColumn = "name,plan\nAda,gold\n";
        page.locator("#concurrent_calls").fill("2");
        page.locator("#file").setInputFiles(new FilePayload("bad.csv", "text/csv", bytes(noColumn)));
        page.locator("#upload").click();
        var twin = campaign(
                        setup,
                        body(
                                "agent_id",
                                setup.agentId(),
                                "name",
                                "API twin",
                                "targets",
                                List.of(Map.of("to_number", uniqueNumber())),
                                "draft",
                                true))
                .get("campaign_id")
                .asString();
        var api = setup.api().send("POST", "/campaigns/" + twin + "/targets", "text/csv", noColumn);
        assertThat(api.status()).isEqualTo(400);
        assertThat(page.locator("#campaign-errors li"))
                .hasText(api.json().get("detail").asString());
        // nothing but the API's twin was created
        assertThat(setup.api().get("/campaigns").json().get("data").size()).isEqualTo(1);

        // the form's choices reach the campaign: calls at a time, priority, window, retries
        page.getByLabel("Name (required, 1–255 characters)").fill("Evenings");
        page.locator("#concurrent_calls").fill("3");
        page.getByLabel("Priority in the queue (default low)").selectOption("high");
        page.locator("#window_start").fill("17:00");
        page.locator("#window_end").fill("20:00");
        page.locator("#retry_failed").check();
        page.locator("#retry_attempts").fill("2");
        page.locator("#retry_delays").fill("10, 60");
        page.locator("#file").setInputFiles(new FilePayload("ok.csv", "text/csv", bytes("to_number\n" + TO + "\n")));
        page.locator("#upload").click();
        page.waitForURL(Pattern.compile(".*/studio/campaigns/[0-9a-f-]{36}$"));
        var id = page.url().substring(page.url().lastIndexOf('/') + 1);
        var campaign = setup.api().get("/campaigns/" + id).json();
        assertThat(campaign.get("status").asString()).isEqualTo("draft");
        assertThat(campaign.get("concurrent_calls").asInt()).isEqualTo(3);
        assertThat(campaign.get("priority").asString()).isEqualTo("high");
        assertThat(campaign.get("calling_window").get("start").asString()).isEqualTo("17:00");
        assertThat(campaign.get("calling_window").get("days").size()).isEqualTo(5);
        assertThat(campaign.get("retry_failed").asBoolean()).isTrue();
        assertThat(campaign.get("retry_attempts").asInt()).isEqualTo(2);
        assertThat(campaign.get("retry_policy").get("delays_minutes").toString())
                .isEqualTo("[10,60]");
        assertThat(page.locator("#upload-added")).hasText("1");
        assertThat(page.locator("#upload-report")).containsText("Every row was added.");
    }

    @Test
    void aViewerSeesNoControlsAndTheServerRefusesTheirChanges() {
        var setup = setupWithOwner(email());
        var viewer = email();
        create(setup.api(), "/members", Map.of("email", viewer, "password", PASSWORD, "role", "viewer"));
        var id = draft(setup, "Viewer's view");
        var context = browser();
        var page = signIn(context, viewer);

        page.navigate(base() + "/studio/campaigns");
        assertThat(page.locator("#campaign-" + id)).containsText("draft");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New campaign")))
                .hasCount(0);
        page.navigate(base() + "/studio/campaigns/" + id);
        assertThat(page.locator("#campaign-status")).hasText("draft");
        assertThat(page.locator("main form[method='post']")).hasCount(0);
        assertThat(page.locator("#start")).hasCount(0);
        assertThat(page.locator("#cancel")).hasCount(0);
        check(page, "campaign-viewer");

        var token = page.locator("meta[name=_csrf]").getAttribute("content");
        for (var action : List.of("start", "pause", "resume", "cancel")) {
            var refused = context.request()
                    .post(
                            base() + "/studio/campaigns/" + id + "/" + action,
                            RequestOptions.create()
                                    .setForm(FormData.create().set("_csrf", token))
                                    .setMaxRedirects(0));
            assertThat(refused.status()).as(action).isEqualTo(403);
        }
        var upload = context.request()
                .post(
                        base() + "/studio/campaigns/new",
                        RequestOptions.create()
                                .setMultipart(FormData.create()
                                        .set("_csrf", token)
                                        .set("name", "sneaky")
                                        .set("agentId", setup.agentId().toString())
                                        .set(
                                                "file",
                                                new FilePayload("x.csv", "text/csv", bytes("phone\n" + TO + "\n"))))
                                .setMaxRedirects(0));
        assertThat(upload.status()).isEqualTo(403);
        assertThat(setup.api().get("/campaigns/" + id).json().get("status").asString())
                .isEqualTo("draft");
        assertThat(setup.api().get("/campaigns").json().get("data").size()).isEqualTo(1);

        // the contacts page by cursor, 25 at a time
        var targets = new java.util.ArrayList<Map<String, Object>>();
        for (int i = 0; i < 27; i++) {
            targets.add(Map.of("to_number", uniqueNumber()));
        }
        var many = campaign(setup, body("agent_id", setup.agentId(), "name", "Many", "targets", targets, "draft", true))
                .get("campaign_id")
                .asString();
        page.navigate(base() + "/studio/campaigns/" + many);
        assertThat(page.locator("#contact-rows tbody tr")).hasCount(25);
        assertThat(page.locator("#contact-26")).hasCount(0);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next contacts"))
                .click();
        assertThat(page.locator("#contact-rows tbody tr")).hasCount(2);
        assertThat(page.locator("#contact-26"))
                .containsText(targets.get(25).get("to_number").toString());
        assertThat(page.locator("#contact-1")).hasCount(0);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next contacts")))
                .hasCount(0);
    }

    @Test
    void anotherOrganizationsCampaignIsNotFound() {
        var email = email();
        setupWithOwner(email);
        var theirs = newSetup();
        var id = draft(theirs, "Theirs");
        var context = browser();
        var page = signIn(context, email);

        var response = page.navigate(base() + "/studio/campaigns/" + id);
        assertThat(response.status()).isEqualTo(404);
        assertThat(page.locator("h1")).containsText("Not Found");
        check(page, "campaign-not-found");
        for (var path : List.of("/panel", "/contacts", "/results.csv")) {
            assertThat(context.request()
                            .get(base() + "/studio/campaigns/" + id + path)
                            .status())
                    .as(path)
                    .isEqualTo(404);
        }
        var token = page.locator("meta[name=_csrf]").getAttribute("content");
        var start = context.request()
                .post(
                        base() + "/studio/campaigns/" + id + "/start",
                        RequestOptions.create()
                                .setForm(FormData.create().set("_csrf", token))
                                .setMaxRedirects(0));
        assertThat(start.status()).isEqualTo(404);
        page.navigate(base() + "/studio/campaigns");
        assertThat(page.locator("#campaign-" + id)).hasCount(0);
        assertThat(theirs.api().get("/campaigns/" + id).json().get("status").asString())
                .isEqualTo("draft");
    }

    /** A draft campaign of two contacts, created through the API. */
    private static String draft(Setup setup, String name) {
        return campaign(
                        setup,
                        body(
                                "agent_id",
                                setup.agentId(),
                                "name",
                                name,
                                "targets",
                                List.of(Map.of("to_number", uniqueNumber()), Map.of("to_number", uniqueNumber())),
                                "draft",
                                true))
                .get("campaign_id")
                .asString();
    }

    /** {@code POST /campaigns} (200, as MrAssistant answers a create). */
    private static JsonNode campaign(Setup setup, Map<String, Object> body) {
        var response = setup.api().post("/campaigns", body);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** The room of the call to {@code to} once the fake LiveKit answered it. */
    private static String liveRoom(Setup setup, String to) {
        var found = new JsonNode[1];
        Awaitility.await().atMost(WAIT).until(() -> {
            var live = setup.api()
                    .get("/calls?status=in_progress&to_number=" + query(to))
                    .json()
                    .get("data");
            if (live.size() == 1) {
                found[0] = live.get(0);
                return true;
            }
            return false;
        });
        return found[0].get("room_name").asString();
    }

    private static LocatorAssertions.ContainsTextOptions containing() {
        return new LocatorAssertions.ContainsTextOptions().setTimeout(TIMEOUT_MS);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
