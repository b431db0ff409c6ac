package dev.dialplane.studio;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.dialplane.fakelivekit.DialScript;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.TransferSIPParticipantRequest;
import org.junit.jupiter.api.Test;

/**
 * Studio's setup pages (SIP trunks, agents, phone numbers: created, edited, deleted through their
 * forms), the call page's transfer, the calls list's agent and time filters and the credits page,
 * in a real browser against the fake LiveKit.
 */
class StudioSetupIntegrationTests extends StudioBrowserTest {

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

    /** An organization with credits and no agents, trunks or numbers; its owner signs in with {@code email}. */
    private Org emptyOrganizationWithOwner(String email) {
        var org = newOrganization();
        create(org.api(), "/members", Map.of("email", email, "password", PASSWORD, "role", "owner"));
        return org;
    }

    @Test
    void aTrunkAnAgentAndANumberRegisteredThroughTheFormsPlaceACall() {
        var email = email();
        var org = emptyOrganizationWithOwner(email);
        var page = signIn(browser(), email);
        var password = "studio-trunk-" + UUID.randomUUID();

        // the trunk, password write-only
        page.navigate(base() + "/studio/sip-trunks");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Add a SIP trunk"))
                .click();
        page.locator("#name").fill("Studio carrier");
        page.locator("#address").fill("sip.studio-carrier.example:5060");
        page.locator("#transport").selectOption("tcp");
        page.locator("#username").fill("studio-acct");
        page.locator("#password").fill(password);
        page.locator("#cps_limit").fill("5");
        page.locator("#max_channels").fill("2");
        check(page, "sip-trunk-new");
        page.locator("#save").click();
        assertThat(page.locator("main")).containsText("The SIP trunk Studio carrier was created.");
        var trunk = named(org.api().get("/sip-trunks").json().get("data"), "Studio carrier");
        var trunkId = trunk.get("id").asString();
        assertThat(trunk.get("has_password").asBoolean()).isTrue();
        assertThat(trunk.get("cps_limit").asInt()).isEqualTo(5);
        assertThat(trunk.get("max_channels").asInt()).isEqualTo(2);
        var row = page.locator("tr[data-trunk='" + trunkId + "']");
        assertThat(row.locator(".password")).hasText("set");
        assertThat(page.content()).doesNotContain(password);

        // edited with the password field left empty: the stored password stays
        row.getByRole(
                        AriaRole.LINK,
                        new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Edit Studio carrier"))
                .click();
        assertThat(page.locator("label[for=password]")).containsText("set: leave empty to keep it");
        assertThat(page.locator("#password")).hasValue("");
        assertThat(page.content()).doesNotContain(password);
        checkNarrow(page, "sip-trunk-edit");
        page.locator("#cps_limit").fill("7");
        page.locator("#save").click();
        assertThat(page.locator("main")).containsText("The SIP trunk Studio carrier was saved.");
        var edited = org.api().get("/sip-trunks/" + trunkId).json();
        assertThat(edited.get("cps_limit").asInt()).isEqualTo(7);
        assertThat(edited.get("has_password").asBoolean()).isTrue();

        // the agent: the API's own refusal first (a voice agent needs its LiveKit name)
        page.navigate(base() + "/studio/agents/new");
        page.locator("#name").fill("Studio Agent");
        page.locator("#architecture").selectOption("pipeline");
        page.locator("#save").click();
        var refusal = org.api().post("/agents", Map.of("name", "x", "architecture", "pipeline"));
        assertThat(refusal.status()).isEqualTo(422);
        assertThat(page.locator("#form-errors")).containsText("livekit_agent_name: is required for pipeline agents");
        assertThat(refusal.text()).contains("is required for pipeline agents");
        check(page, "agent-refused");
        page.locator("#livekit_agent_name").fill("studio-agent");
        page.locator("#save").click();
        assertThat(page.locator("main")).containsText("The agent Studio Agent was created.");
        var agentId =
                org.api().get("/agents").json().get("data").get(0).get("id").asString();

        // the number, its trunk and outbound agent chosen from the organization's
        var number = uniqueNumber();
        page.navigate(base() + "/studio/phone-numbers");
        assertThat(page.locator("main")).containsText("No numbers yet");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Register a number"))
                .first()
                .click();
        page.locator("#number").fill(number);
        page.locator("#sip_trunk_id").selectOption(trunkId);
        page.locator("#outbound_agent_id").selectOption(agentId);
        checkNarrow(page, "phone-number-new");
        page.locator("#save").click();
        assertThat(page.locator("main")).containsText(number + " was registered.");
        assertThat(page.locator("tr[data-number='" + number + "']")).containsText("Studio Agent");
        assertThat(page.locator("tr[data-number='" + number + "']")).containsText("Studio carrier");
        checkNarrow(page, "phone-numbers-with-actions");
        var registered = org.api().get("/phone-numbers").json().get("data").get(0);
        assertThat(registered.get("outbound_agent_id").asString()).isEqualTo(agentId);
        assertThat(registered.get("sip_trunk_id").asString()).isEqualTo(trunkId);

        // a sandbox call with them
        var held = LIVEKIT.onDial(TO, DialScript.holdUntilReleased());
        page.navigate(base() + "/studio/calls/new");
        page.getByLabel("To number (E.164) (required)").fill(TO);
        page.locator("#place").click();
        page.waitForURL(Pattern.compile(".*/studio/calls/[0-9a-f-]{36}$"));
        held.awaitDialed(WAIT);
        var dial = LIVEKIT.requests("SIP", "CreateSIPParticipant").getLast().bodyAs(CreateSIPParticipantRequest.class);
        assertThat(dial.getSipNumber()).isEqualTo(number);
        assertThat(dial.getTrunk().getHostname()).startsWith("sip.studio-carrier.example");
        assertThat(dial.getTrunk().getAuthUsername()).isEqualTo("studio-acct");
        assertThat(dial.getTrunk().getAuthPassword())
                .as("the password kept through the edit")
                .isEqualTo(password);
        held.answer();
        deliverWebhooks();
        assertThat(page.locator("#call-status")).hasText("in_progress", waiting());

        // the trunk's live load: one call in progress of its two channels, one dial in the last minute
        page.navigate(base() + "/studio/sip-trunks");
        var live = page.locator("tr[data-trunk='" + trunkId + "']");
        assertThat(live.locator(".live")).containsText("1 / 2");
        assertThat(live.locator(".dialed")).hasText("1");
        assertThat(live.locator(".queued")).hasText("0");
        checkNarrow(page, "sip-trunks-live");
        LIVEKIT.hangUpByCallee(held.roomName());
        deliverWebhooks();
        // refreshed without a reload
        assertThat(live.locator(".live"))
                .containsText(
                        "0 / 2",
                        new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                                .setTimeout(TIMEOUT_MS));

        // edit the agent and the number
        page.navigate(base() + "/studio/agents/" + agentId);
        check(page, "agent-edit");
        page.locator("#name").fill("Studio Agent 2");
        page.locator("#record").check();
        page.locator("#save").click();
        assertThat(page.locator("main")).containsText("The agent Studio Agent 2 was saved.");
        assertThat(page.locator("tr[data-agent='" + agentId + "']")).containsText(number);
        checkNarrow(page, "agents-with-actions");
        var agent = org.api().get("/agents/" + agentId).json();
        assertThat(agent.get("name").asString()).isEqualTo("Studio Agent 2");
        assertThat(agent.get("record").asBoolean()).isTrue();
        page.navigate(base() + "/studio/phone-numbers/" + registered.get("id").asString());
        check(page, "phone-number-edit");
        page.locator("#inbound_agent_id").selectOption(agentId);
        page.locator("#record").check();
        page.locator("#save").click();
        assertThat(page.locator("main")).containsText(number + " was saved.");
        var saved = org.api()
                .get("/phone-numbers/" + registered.get("id").asString())
                .json();
        assertThat(saved.get("inbound_agent_id").asString()).isEqualTo(agentId);
        assertThat(saved.get("record").asBoolean()).isTrue();
        assertThat(saved.get("outbound_agent_id").asString()).isEqualTo(agentId);
    }

    @Test
    void aRefusedDeleteSaysWhyInTheApisWordsAndAnAllowedOneAsksFirst() {
        var email = email();
        var setup = setupWithOwner(email);
        var page = signIn(browser(), email);

        page.navigate(base() + "/studio/agents");
        var agentRow = page.locator("tr[data-agent='" + setup.agentId() + "']");
        page.onceDialog(dialog -> {
            assertThat(dialog.message()).startsWith("Delete the agent Sales Agent?");
            dialog.accept();
        });
        agentRow.getByRole(AriaRole.BUTTON).click();
        var api = setup.api().delete("/agents/" + setup.agentId());
        assertThat(api.status()).isEqualTo(409);
        var apiMessage = api.json().get("detail").asString();
        assertThat(page.locator("main .error")).hasText(apiMessage);
        assertThat(apiMessage).contains(setup.fromNumber());
        check(page, "agent-delete-refused");

        page.navigate(base() + "/studio/sip-trunks");
        page.onceDialog(dialog -> dialog.accept());
        page.locator("tr[data-trunk='" + setup.trunkId() + "']")
                .getByRole(AriaRole.BUTTON)
                .click();
        assertThat(page.locator("main .error")).containsText("The SIP trunk is still used by [" + setup.fromNumber());

        // a dismissed confirmation deletes nothing
        page.navigate(base() + "/studio/phone-numbers");
        page.onceDialog(dialog -> dialog.dismiss());
        page.locator("tr[data-number='" + setup.fromNumber() + "']")
                .getByRole(AriaRole.BUTTON)
                .click();
        assertThat(setup.api().get("/phone-numbers/" + setup.numberId()).status())
                .isEqualTo(200);
        page.onceDialog(dialog -> dialog.accept());
        page.locator("tr[data-number='" + setup.fromNumber() + "']")
                .getByRole(AriaRole.BUTTON)
                .click();
        assertThat(page.locator("main")).containsText(setup.fromNumber() + " was deleted.");
        assertThat(setup.api().get("/phone-numbers/" + setup.numberId()).status())
                .isEqualTo(404);

        page.navigate(base() + "/studio/agents");
        page.onceDialog(dialog -> dialog.accept());
        page.locator("tr[data-agent='" + setup.agentId() + "']")
                .getByRole(AriaRole.BUTTON)
                .click();
        assertThat(page.locator("main")).containsText("The agent Sales Agent was deleted.");
        assertThat(setup.api().get("/agents/" + setup.agentId()).status()).isEqualTo(404);
    }

    @Test
    void aLiveCallIsTransferredAfterConfirmationAndARefusalIsExplained() {
        var email = email();
        var setup = setupWithOwner(email);
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        var page = signIn(browser(), email);
        page.navigate(base() + "/studio/calls/" + id);
        checkNarrow(page, "call-transfer");

        // the API's refusal, in its words: a target that is no address
        page.locator("#transfer_to").fill("14155550123");
        page.onceDialog(dialog -> dialog.accept());
        page.locator("#transfer").click();
        assertThat(page.locator("main .error"))
                .containsText("transfer_to: must be tel:+<E.164 number>, sip:user@domain or sip:+<E.164 number>@host");
        assertThat(LIVEKIT.requests("SIP", "TransferSIPParticipant")).isEmpty();

        page.locator("#transfer_to").fill("tel:+14155550123");
        page.onceDialog(dialog -> {
            assertThat(dialog.message()).startsWith("Transfer this call?");
            dialog.accept();
        });
        page.locator("#transfer").click();
        assertThat(page.locator("main .notice")).hasText("The call was transferred to tel:+14155550123.");
        var transfer =
                LIVEKIT.requests("SIP", "TransferSIPParticipant").getLast().bodyAs(TransferSIPParticipantRequest.class);
        assertThat(transfer.getTransferTo()).isEqualTo("tel:+14155550123");
        assertThat(transfer.getRoomName()).isEqualTo(call.get("room_name").asString());
        deliverWebhooks();
        assertThat(page.locator("#call-status")).hasText("completed", waiting());
        page.reload();
        assertThat(page.locator("#transfer-form")).hasCount(0);
    }

    @Test
    void theCallListIsNarrowedByAgentAndByTime() {
        var email = email();
        var setup = setupWithOwner(email);
        var other = create(
                setup.api(),
                "/agents",
                Map.of("name", "Support Agent", "architecture", "pipeline", "livekit_agent_name", "support-agent"));
        create(
                setup.api(),
                "/phone-numbers",
                Map.of(
                        "number",
                        uniqueNumber(),
                        "sip_trunk_id",
                        setup.trunkId().toString(),
                        "outbound_agent_id",
                        other.get("id").asString()));
        var early = answeredCall(setup, TO);
        var earlyAt = Instant.parse(early.get("created_at").asString());
        clock.advance(Duration.ofHours(3));
        var lateResponse = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                other.get("id").asString(),
                                "to_number",
                                "+12025550178",
                                "wait_until_answered",
                                true));
        assertThat(lateResponse.status()).as(lateResponse.text()).isEqualTo(200);
        var late = setup.api()
                .get("/calls/" + lateResponse.json().get("call_id").asString())
                .json();
        var earlyRow = "#call-" + early.get("id").asString();
        var lateRow = "#call-" + late.get("id").asString();
        var page = signIn(browser(), email);

        page.navigate(base() + "/studio/calls");
        assertThat(page.locator(earlyRow)).hasCount(1);
        assertThat(page.locator(lateRow)).hasCount(1);
        page.locator("#filter-agent").selectOption(other.get("id").asString());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                .click();
        assertThat(page.locator(lateRow)).hasCount(1);
        assertThat(page.locator(earlyRow)).hasCount(0);
        checkNarrow(page, "calls-by-agent");

        page.locator("#filter-agent").selectOption("");
        page.locator("#filter-to").fill(MINUTE.format(earlyAt.plus(Duration.ofHours(1))));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                .click();
        assertThat(page.locator(earlyRow)).hasCount(1);
        assertThat(page.locator(lateRow)).hasCount(0);

        page.locator("#filter-to").fill("");
        page.locator("#filter-from").fill(MINUTE.format(earlyAt.plus(Duration.ofHours(1))));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                .click();
        assertThat(page.locator(lateRow)).hasCount(1);
        assertThat(page.locator(earlyRow)).hasCount(0);

        // both filters, with nothing between them
        page.locator("#filter-agent").selectOption(setup.agentId().toString());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                .click();
        assertThat(page.locator("#call-rows")).containsText("No calls match this filter");
        check(page, "calls-filtered-empty");
    }

    @Test
    void theCreditsPageShowsTheBalanceAndTheLedger() {
        var email = email();
        var setup = setupWithOwner(email);
        var call = answeredCall(setup, TO);
        clock.advance(Duration.ofSeconds(30));
        assertThat(setup.api()
                        .post("/calls/" + call.get("id").asString() + "/hangup")
                        .status())
                .isEqualTo(200);
        // 50 purchases after the call's charge: a page of the ledger, then the older entries
        for (int i = 0; i < 50; i++) {
            var added = admin().post("/admin/organizations/" + setup.org().id() + "/credits", Map.of("amount", 1));
            assertThat(added.status()).as(added.text()).isEqualTo(200);
        }
        var credits = setup.api().get("/credits").json();
        var page = signIn(browser(), email);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Credits"))
                .click();
        assertThat(page.locator("#balance"))
                .hasText(credits.get("balance")
                        .decimalValue()
                        .stripTrailingZeros()
                        .toPlainString());
        assertThat(page.locator("#available"))
                .hasText(credits.get("available")
                        .decimalValue()
                        .stripTrailingZeros()
                        .toPlainString());
        var rows = page.locator("#ledger tbody tr");
        assertThat(rows).hasCount(50);
        assertThat(rows.first()).containsText("credit purchase");
        checkNarrow(page, "credits");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Older entries"))
                .click();
        assertThat(rows).hasCount(2);
        assertThat(rows.first()).containsText("call charge");
        assertThat(rows.last()).containsText("initial credits");
        assertThat(rows.first().getByRole(AriaRole.LINK))
                .hasAttribute("href", "/studio/calls/" + call.get("id").asString());
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Older entries")))
                .hasCount(0);
    }

    @Test
    void aViewerSeesNoChangeControlsAndTheirChangesAreRefused() {
        var setup = setupWithOwner(email());
        var viewer = email();
        create(setup.api(), "/members", Map.of("email", viewer, "password", PASSWORD, "role", "viewer"));
        var call = answeredCall(setup, TO);
        var context = browser();
        var page = signIn(context, viewer);

        for (var path : new String[] {"/studio/phone-numbers", "/studio/agents", "/studio/sip-trunks"}) {
            page.navigate(base() + path);
            assertThat(page.locator("main form[method=post]")).hasCount(0);
            assertThat(page.locator("main a.button")).hasCount(0);
            assertThat(page.locator("td.actions")).hasCount(0);
        }
        check(page, "sip-trunks-viewer");
        page.navigate(base() + "/studio/agents/" + setup.agentId());
        assertThat(page.locator("main form")).hasCount(0);
        assertThat(page.locator("main")).containsText("Viewers read only");
        page.navigate(base() + "/studio/phone-numbers/new");
        assertThat(page.locator("main form")).hasCount(0);
        page.navigate(base() + "/studio/calls/" + call.get("id").asString());
        assertThat(page.locator("#call-status")).hasText("in_progress");
        assertThat(page.locator("#transfer-form")).hasCount(0);
        page.navigate(base() + "/studio/credits");
        assertThat(page.locator("#balance")).not().hasText("");
        check(page, "credits-viewer");

        var token = page.locator("meta[name=_csrf]").getAttribute("content");
        var posts = Map.of(
                "/studio/agents",
                FormData.create().set("name", "x").set("architecture", "text"),
                "/studio/agents/" + setup.agentId() + "/delete",
                FormData.create(),
                "/studio/phone-numbers/" + setup.numberId(),
                FormData.create()
                        .set("number", uniqueNumber())
                        .set("sip_trunk_id", setup.trunkId().toString()),
                "/studio/sip-trunks/" + setup.trunkId() + "/delete",
                FormData.create(),
                "/studio/calls/" + call.get("id").asString() + "/transfer",
                FormData.create().set("transfer_to", "tel:+14155550123"));
        posts.forEach((path, form) -> {
            var response = post(context, path, form.set("_csrf", token));
            assertThat(response.status()).as(path).isEqualTo(403);
        });
        assertThat(setup.api().get("/agents").json().get("data").size()).isEqualTo(1);
        assertThat(setup.api()
                        .get("/phone-numbers/" + setup.numberId())
                        .json()
                        .get("number")
                        .asString())
                .isEqualTo(setup.fromNumber());
        assertThat(LIVEKIT.requests("SIP", "TransferSIPParticipant")).isEmpty();
    }

    @Test
    void anotherOrganizationsNumberAgentAndTrunkAreNotFound() {
        var email = email();
        setupWithOwner(email);
        var theirs = newSetup();
        var context = browser();
        var page = signIn(context, email);

        for (var path : new String[] {
            "/studio/phone-numbers/" + theirs.numberId(),
            "/studio/agents/" + theirs.agentId(),
            "/studio/sip-trunks/" + theirs.trunkId()
        }) {
            assertThat(page.navigate(base() + path).status()).as(path).isEqualTo(404);
        }
        assertThat(page.locator("h1")).containsText("Not Found");
        var token = page.locator("meta[name=_csrf]").getAttribute("content");
        for (var path : new String[] {
            "/studio/phone-numbers/" + theirs.numberId() + "/delete",
            "/studio/agents/" + theirs.agentId() + "/delete",
            "/studio/sip-trunks/" + theirs.trunkId() + "/delete"
        }) {
            assertThat(post(context, path, FormData.create().set("_csrf", token))
                            .status())
                    .as(path)
                    .isEqualTo(404);
        }
        assertThat(theirs.api().get("/phone-numbers/" + theirs.numberId()).status())
                .isEqualTo(200);
    }

    /** {@link #check}, and at 390 px wide the page itself does not scroll sideways (a wide table scrolls in its box). */
    private static void checkNarrow(Page page, String name) {
        check(page, name);
        page.setViewportSize(390, 844);
        assertThat(page.evaluate("() => document.documentElement.scrollWidth"))
                .as(name + " at 390 px")
                .isEqualTo(390);
        page.setViewportSize(1280, 800);
    }

    private static tools.jackson.databind.JsonNode named(tools.jackson.databind.JsonNode list, String name) {
        for (var item : list) {
            if (name.equals(item.get("name").asString())) {
                return item;
            }
        }
        throw new AssertionError("no " + name + " in " + list);
    }

    private com.microsoft.playwright.APIResponse post(BrowserContext context, String path, FormData form) {
        return context.request()
                .post(base() + path, RequestOptions.create().setForm(form).setMaxRedirects(0));
    }
}
