package dev.dialplane.studio;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.support.Api;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Studio's sign-in, call pages, settings and access rules, in a real browser. */
class StudioBrowserIntegrationTests extends StudioBrowserTest {

    @Test
    void signInShowsTheEmptyStatesAndEveryPagePassesAxe() {
        var email = email();
        var setup = setupWithOwner(email);
        var context = browser();
        var first = context.newPage();
        var signInPage = first.navigate(base() + "/studio/sign-in");
        assertThat(signInPage.headers().get("content-security-policy")).contains("script-src 'self'");
        assertThat(signInPage.headers().get("x-frame-options")).isEqualTo("DENY");
        check(first, "sign-in");
        var page = signIn(context, email);
        assertThat(context.cookies().stream()
                        .filter(c -> c.name.equals("JSESSIONID"))
                        .findFirst()
                        .orElseThrow())
                .satisfies(cookie -> {
                    assertThat(cookie.httpOnly).isTrue();
                    assertThat(cookie.sameSite).hasToString("LAX");
                    assertThat(cookie.path).isEqualTo("/studio");
                });

        assertThat(page.locator("#live-count")).hasText("0");
        assertThat(page.locator("main")).containsText("No calls today yet");
        check(page, "overview-empty");
        page.navigate(base() + "/studio/calls");
        assertThat(page.locator("main")).containsText("No calls yet: place your first call");
        check(page, "calls-empty");
        page.navigate(base() + "/studio/calls/new");
        check(page, "place-call");
        page.navigate(base() + "/studio/settings/api-keys");
        check(page, "api-keys");
        page.navigate(base() + "/studio/settings/members");
        assertThat(page.locator("main")).containsText(email);
        check(page, "members");

        // with a call: the lists and the call's page
        var call = answeredCall(setup, TO);
        page.navigate(base() + "/studio/calls");
        assertThat(page.locator("#call-" + call.get("id").asString())).containsText("in_progress");
        check(page, "calls");
        page.navigate(base() + "/studio/calls/" + call.get("id").asString());
        assertThat(page.locator("#call-status")).hasText("in_progress");
        check(page, "call");
        page.navigate(base() + "/studio");
        assertThat(page.locator("#live-count")).hasText("1");
        // the queue depth and live calls of the organization's trunk
        var trunkRow = page.locator("#trunk-queues tr[data-trunk='" + setup.trunkId() + "']");
        assertThat(trunkRow.locator(".queued")).hasText("0");
        assertThat(trunkRow.locator("td").nth(2)).hasText(Pattern.compile("^1( of \\d+)?$"));
        check(page, "overview");
        var missing = page.navigate(base() + "/studio/calls/" + UUID.randomUUID());
        assertThat(missing.status()).isEqualTo(404);
        check(page, "not-found");

        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Sign out"))
                .click();
        page.waitForURL(Pattern.compile(".*/studio/sign-in\\?signed-out$"));
        var after = page.navigate(base() + "/studio/calls");
        assertThat(page.url()).contains("/studio/sign-in");
        assertThat(after.status()).isEqualTo(200);
    }

    @Test
    void theSetupPagesListNumbersAgentsAndTrunksWithTheirEmptyStates() {
        var emptyOwner = email();
        var created = admin().post(
                        "/admin/organizations",
                        body(
                                "name",
                                "Empty " + UUID.randomUUID(),
                                "owner_email",
                                emptyOwner,
                                "owner_password",
                                PASSWORD));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        var empty = signIn(browser(), emptyOwner);
        empty.navigate(base() + "/studio/phone-numbers");
        assertThat(empty.locator("main")).containsText("No numbers yet: register your first number");
        check(empty, "phone-numbers-empty");
        empty.navigate(base() + "/studio/agents");
        assertThat(empty.locator("main")).containsText("No agents yet");
        // (no trunk empty state here: the operator's shared trunks, which other tests create, are listed
        // for every organization)

        var email = email();
        var setup = setupWithOwner(email);
        var page = signIn(browser(), email);
        page.navigate(base() + "/studio/phone-numbers");
        assertThat(page.locator("main")).containsText(setup.fromNumber());
        assertThat(page.locator("main")).containsText("Sales Agent");
        check(page, "phone-numbers");
        page.navigate(base() + "/studio/agents");
        assertThat(page.locator("main")).containsText("Sales Agent");
        assertThat(page.locator("main")).containsText(setup.fromNumber());
        check(page, "agents");
        page.navigate(base() + "/studio/sip-trunks");
        var trunk = page.locator("tr[data-trunk='" + setup.trunkId() + "']");
        assertThat(trunk.locator(".password")).hasText("set");
        // the password itself is nowhere in the page
        assertThat(page.content()).doesNotContain("trunk-pass-");
        check(page, "sip-trunks");
    }

    @Test
    void aPlacedCallIsFollowedLiveFromDialingToCompletedWithoutReloading() {
        var email = email();
        setupWithOwner(email);
        var page = signIn(browser(), email);
        var held = LIVEKIT.onDial(TO, DialScript.holdUntilReleased());

        page.navigate(base() + "/studio/calls/new");
        page.getByLabel("To number (E.164) (required)").fill(TO);
        page.locator("#place").click();
        page.waitForURL(Pattern.compile(".*/studio/calls/[0-9a-f-]{36}$"));
        // a flag on this document: gone if the page were reloaded or navigated
        page.evaluate("() => { window.sameDocument = true; }");

        held.awaitDialed(WAIT);
        // the dial is held at the carrier: dialing, or ringing once the ringing watch polled it
        assertThat(page.locator("#call-status")).hasText(Pattern.compile("^(dialing|ringing)$"), waiting());
        held.answer();
        deliverWebhooks();
        assertThat(page.locator("#call-status")).hasText("in_progress", waiting());
        LIVEKIT.hangUpByCallee(held.roomName());
        deliverWebhooks();
        assertThat(page.locator("#call-status")).hasText("completed", waiting());
        // the timeline grew with the call: each transition a row
        assertThat(page.locator("#call-panel tbody tr")).not().hasCount(0);
        assertThat(page.locator("#call-panel tbody")).containsText("in_progress");
        assertThat(page.locator("#call-panel tbody")).containsText("completed");

        assertThat(page.evaluate("() => window.sameDocument === true")).isEqualTo(true);
        dialedOnce(held.roomName());
    }

    @Test
    void aCallIsPlacedWithTheKeyboardAlone() {
        var email = email();
        setupWithOwner(email);
        var page = signIn(browser(), email);
        page.navigate(base() + "/studio/calls/new");

        tabTo(page, "to_number");
        page.keyboard().type(TO);
        tabTo(page, "place");
        page.keyboard().press("Enter");

        page.waitForURL(Pattern.compile(".*/studio/calls/[0-9a-f-]{36}$"));
        assertThat(page.locator("h1")).containsText(TO);
    }

    @Test
    void aFormErrorShowsTheApisOwnMessage() {
        var email = email();
        var setup = setupWithOwner(email);
        var page = signIn(browser(), email);
        var listed = setup.api().post("/dnc", Map.of("numbers", List.of(TO)));
        assertThat(listed.status()).as(listed.text()).isLessThan(300);

        page.navigate(base() + "/studio/calls/new");
        page.getByLabel("To number (E.164) (required)").fill(TO);
        page.locator("#place").click();

        var api = place(setup, TO);
        assertThat(api.status()).as(api.text()).isGreaterThanOrEqualTo(400);
        // the page shows the sentence the API answers with
        var shown = page.locator("#place-errors li").first().textContent().strip();
        assertThat(shown).containsIgnoringCase("do-not-call");
        assertThat(api.text()).contains(shown);
        check(page, "place-call-refused");

        // the route's own field rules and messages
        page.navigate(base() + "/studio/calls/new");
        page.getByLabel("To number (E.164) (required)").fill("12345");
        page.locator("#ringing_timeout_seconds").evaluate("e => { e.removeAttribute('max'); e.value = '99'; }");
        page.locator("#place").click();
        assertThat(page.locator("#place-errors")).containsText("ringing_timeout_seconds: must be between 1 and 80");
        assertThat(page.locator("#place-errors")).containsText("to_number");
    }

    @Test
    void hangingUpALiveCallAsksFirstThenEndsIt() {
        var email = email();
        var setup = setupWithOwner(email);
        var call = answeredCall(setup, TO);
        var page = signIn(browser(), email);
        page.navigate(base() + "/studio/calls/" + call.get("id").asString());

        page.onceDialog(dialog -> {
            assertThat(dialog.message()).startsWith("Hang up this call?");
            dialog.accept();
        });
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Hang up"))
                .click();

        assertThat(page.locator("#call-status")).hasText("completed", waiting());
        assertThat(page.locator("main")).containsText("The call was hung up.");
        assertThat(setup.api()
                        .get("/calls/" + call.get("id").asString())
                        .json()
                        .get("end_reason")
                        .asString())
                .isEqualTo("hangup_api");
        assertThat(page.getByRole(
                        com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Hang up")))
                .hasCount(0);
    }

    @Test
    void anApiKeyIsShownOnceAndRevoked() {
        var email = email();
        var setup = setupWithOwner(email);
        var context = browser();
        var page = signIn(context, email);
        page.navigate(base() + "/studio/settings/api-keys");

        page.getByLabel("New key's name").fill("from studio");
        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Create key"))
                .click();
        var secret = page.locator("#new-key").inputValue();
        assertThat(secret).startsWith("dp_");
        assertThat(Api.at(port).withKey(secret).get("/credits").status()).isEqualTo(200);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy"))
                .click();
        assertThat(page.locator("[data-copied-for=new-key]")).hasText("Copied.");
        check(page, "api-key-created");

        page.navigate(base() + "/studio/settings/api-keys");
        assertThat(page.locator("main")).not().containsText(secret);
        var row = page.locator("tr[data-prefix='" + secret.substring(0, 11) + "']");
        assertThat(row).containsText("from studio");
        page.onceDialog(dialog -> dialog.accept());
        row.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON).click();
        assertThat(page.locator("main")).containsText("The key was revoked.");
        assertThat(page.locator("tr[data-prefix='" + secret.substring(0, 11) + "']"))
                .hasCount(0);
        assertThat(Api.at(port).withKey(secret).get("/credits").status()).isEqualTo(401);
        assertThat(setup.api().get("/credits").status()).isEqualTo(200);
    }

    @Test
    void aViewerSeesNoChangeControlsAndTheServerRefusesTheirChanges() {
        var setup = setupWithOwner(email());
        var viewer = email();
        create(setup.api(), "/members", Map.of("email", viewer, "password", PASSWORD, "role", "viewer"));
        var call = answeredCall(setup, TO);
        var context = browser();
        var page = signIn(context, viewer);

        assertThat(page.getByRole(
                        com.microsoft.playwright.options.AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Place a call")))
                .hasCount(0);
        page.navigate(base() + "/studio/calls/" + call.get("id").asString());
        assertThat(page.locator("#call-status")).hasText("in_progress");
        assertThat(page.locator("form[action$='/hang-up']")).hasCount(0);
        page.navigate(base() + "/studio/settings/api-keys");
        assertThat(page.locator("#key-name")).hasCount(0);
        assertThat(page.locator("button.danger")).hasCount(0);
        page.navigate(base() + "/studio/settings/members");
        assertThat(page.locator("#member-email")).hasCount(0);
        check(page, "members-viewer");

        // the POSTs themselves, with a valid CSRF token: refused for the role
        var token = page.locator("meta[name=_csrf]").getAttribute("content");
        var hangUp = context.request()
                .post(
                        base() + "/studio/calls/" + call.get("id").asString() + "/hang-up",
                        RequestOptions.create()
                                .setForm(FormData.create().set("_csrf", token))
                                .setMaxRedirects(0));
        assertThat(hangUp.status()).isEqualTo(403);
        assertThat(hangUp.text()).contains("You may not do this");
        var createKey = context.request()
                .post(
                        base() + "/studio/settings/api-keys",
                        RequestOptions.create()
                                .setForm(FormData.create().set("_csrf", token).set("name", "x"))
                                .setMaxRedirects(0));
        assertThat(createKey.status()).isEqualTo(403);
        var invite = context.request()
                .post(
                        base() + "/studio/settings/members",
                        RequestOptions.create()
                                .setForm(FormData.create()
                                        .set("_csrf", token)
                                        .set("email", email())
                                        .set("password", PASSWORD)
                                        .set("role", "owner"))
                                .setMaxRedirects(0));
        assertThat(invite.status()).isEqualTo(403);
        assertThat(setup.api()
                        .get("/calls/" + call.get("id").asString())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("in_progress");
        assertThat(setup.api().get("/members").json().get("data").size()).isEqualTo(2);
        page.navigate(base() + "/studio/denied");
        check(page, "denied");
    }

    @Test
    void anotherOrganizationsCallPageIsNotFound() {
        var email = email();
        setupWithOwner(email);
        var theirs = newSetup();
        var theirCall = answeredCall(theirs, TO);
        var context = browser();
        var page = signIn(context, email);

        var response =
                page.navigate(base() + "/studio/calls/" + theirCall.get("id").asString());
        assertThat(response.status()).isEqualTo(404);
        assertThat(page.locator("h1")).containsText("Not Found");
        var panel = context.request()
                .get(base() + "/studio/calls/" + theirCall.get("id").asString() + "/panel");
        assertThat(panel.status()).isEqualTo(404);
        var token = page.locator("meta[name=_csrf]").getAttribute("content");
        var hangUp = context.request()
                .post(
                        base() + "/studio/calls/" + theirCall.get("id").asString() + "/hang-up",
                        RequestOptions.create()
                                .setForm(FormData.create().set("_csrf", token))
                                .setMaxRedirects(0));
        assertThat(hangUp.status()).isEqualTo(404);
        assertThat(theirs.api()
                        .get("/calls/" + theirCall.get("id").asString())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("in_progress");
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        var email = email();
        var setup = setupWithOwner(email);
        var context = browser();
        signIn(context, email);
        var keys = setup.api().get("/api-keys").json().get("data").size();

        var forged = context.request()
                .post(
                        base() + "/studio/settings/api-keys",
                        RequestOptions.create()
                                .setForm(FormData.create().set("name", "forged"))
                                .setMaxRedirects(0));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(setup.api().get("/api-keys").json().get("data").size()).isEqualTo(keys);
    }

    @Test
    void failedSignInsLockTheAccountAndTheAddressForFifteenMinutes() {
        var email = email();
        setupWithOwner(email);
        // five wrong passwords for one account, each from another address
        for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
            var page = browserFrom("198.51.100." + (10 + i)).newPage();
            wrongSignIn(page, email, "wrong password " + i);
            assertThat(page.locator("#sign-in-error")).hasText("Wrong email or password.");
        }
        var locked = browserFrom("198.51.100.99").newPage();
        wrongSignIn(locked, email, PASSWORD);
        assertThat(locked.locator("#sign-in-error")).containsText("Too many failed sign-ins: try again in 15 minutes.");
        check(locked, "sign-in-locked");

        // five failures from one address, each for another email: that address is locked out, even
        // for a right password; another address is not
        var address = "203.0.113." + (1 + (int) (Math.random() * 200));
        var other = email();
        setupWithOwner(other);
        for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
            wrongSignIn(browserFrom(address).newPage(), email(), "wrong password");
        }
        var fromLockedAddress = browserFrom(address).newPage();
        wrongSignIn(fromLockedAddress, other, PASSWORD);
        assertThat(fromLockedAddress.locator("#sign-in-error")).containsText("Too many failed sign-ins");
        signIn(browserFrom("203.0.113.250"), other);

        // fifteen minutes later the account signs in again
        clock.advance(SignInThrottle.LOCK);
        signIn(browserFrom("198.51.100.99"), email);
    }

    private void wrongSignIn(Page page, String email, String password) {
        page.navigate(base() + "/studio/sign-in");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(password);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        page.waitForURL(Pattern.compile(".*/studio/sign-in\\?error$"));
    }

    @Test
    void anOwnerInvitesAViewerWhoSignsIn() {
        var email = email();
        var setup = setupWithOwner(email);
        var page = signIn(browser(), email);
        page.navigate(base() + "/studio/settings/members");
        var viewer = email();

        page.getByLabel("Email").fill(viewer);
        page.getByLabel("Role").selectOption("viewer");
        page.getByLabel("Initial password (at least 12 characters)").fill("short-pw");
        page.locator("#member-password").evaluate("e => e.removeAttribute('minlength')");
        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Add member"))
                .click();
        assertThat(page.locator("main")).containsText("password: must be at least 12 characters");

        page.getByLabel("Initial password (at least 12 characters)").fill(PASSWORD);
        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Add member"))
                .click();
        assertThat(page.locator("main")).containsText(viewer + " was added as viewer.");
        signIn(browser(), viewer);
        assertThat(setup.api().get("/members").json().get("data").size()).isEqualTo(2);
    }
}
