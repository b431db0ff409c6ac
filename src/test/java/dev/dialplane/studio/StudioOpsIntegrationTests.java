package dev.dialplane.studio;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.sun.net.httpserver.HttpServer;
import dev.dialplane.support.Api;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Studio's compliance, webhook and operator pages, in a real browser. */
class StudioOpsIntegrationTests extends StudioBrowserTest {

    private HttpServer receiver;
    private final AtomicInteger received = new AtomicInteger();

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void theCallingWindowAndCapsAreEditedWithTheApisRulesAndReadBackThroughTheApi() {
        var email = email();
        var setup = setupWithOwner(email);
        var page = signIn(browser(), email);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Compliance"))
                .click();
        assertThat(page.locator("main")).containsText("No numbers on the do-not-call list yet");
        check(page, "compliance-empty");

        page.locator("#window").check();
        page.getByLabel("From (HH:MM)").fill("09:30");
        page.getByLabel("Until (HH:MM)").fill("17:00");
        page.locator("#day-sat").uncheck();
        page.locator("#day-sun").uncheck();
        page.locator("#day-mon").check();
        page.getByLabel("Calls per 24 hours (1–1000)").fill("3");
        page.getByLabel("Calls per 7 days (1–1000)").fill("");
        page.locator("#save-policy").click();
        assertThat(page.locator("main")).containsText("The compliance policy was saved.");

        var policy = setup.api().get("/compliance-policy").json();
        assertThat(policy.get("calling_window").get("start").asString()).isEqualTo("09:30");
        assertThat(policy.get("calling_window").get("end").asString()).isEqualTo("17:00");
        assertThat(policy.get("calling_window").get("days").toString()).doesNotContain("sat", "sun");
        assertThat(policy.get("max_attempts_per_number").get("per_24h").asInt()).isEqualTo(3);
        assertThat(policy.get("max_attempts_per_number").get("per_7d").isNull()).isTrue();
        // the form shows the policy as stored
        assertThat(page.getByLabel("From (HH:MM)")).hasValue("09:30");
        assertThat(page.locator("#day-sat")).not().isChecked();

        // the API's own rules and words: an end before the start, a cap out of range
        page.getByLabel("From (HH:MM)").fill("18:00");
        page.getByLabel("Until (HH:MM)").fill("09:00");
        page.getByLabel("Calls per 24 hours (1–1000)").fill("0");
        page.locator("#save-policy").click();
        var errors = page.locator("#policy-errors");
        assertThat(errors).containsText("calling_window.end: must be after start (18:00)");
        assertThat(errors).containsText("max_attempts_per_number.per_24h: must be between 1 and 1000");
        var api = setup.api()
                .put(
                        "/compliance-policy",
                        Map.of(
                                "calling_window",
                                Map.of("start", "18:00", "end", "09:00", "days", List.of("mon")),
                                "max_attempts_per_number",
                                Map.of("per_24h", 0)));
        assertThat(api.status()).isEqualTo(422);
        assertThat(api.text()).contains("must be after start (18:00)");
        check(page, "compliance-policy-refused");
        assertThat(setup.api()
                        .get("/compliance-policy")
                        .json()
                        .get("calling_window")
                        .get("start")
                        .asString())
                .isEqualTo("09:30");

        // the window off: null in the API
        page.navigate(base() + "/studio/compliance");
        page.locator("#window").uncheck();
        page.locator("#save-policy").click();
        assertThat(page.locator("main")).containsText("The compliance policy was saved.");
        assertThat(setup.api()
                        .get("/compliance-policy")
                        .json()
                        .get("calling_window")
                        .isNull())
                .isTrue();
    }

    @Test
    void theDoNotCallListIsSearchedAddedToImportedAndRemovedFrom() {
        var email = email();
        var setup = setupWithOwner(email);
        var page = signIn(browser(), email);
        page.navigate(base() + "/studio/compliance");

        page.getByLabel("Number (E.164)").fill("+12025550177");
        page.getByLabel("Reason (optional)", new Page.GetByLabelOptions().setExact(true))
                .fill("asked on the phone");
        page.locator("#dnc-add").click();
        assertThat(page.locator("main")).containsText("+12025550177 was added to the do-not-call list.");
        assertThat(page.locator("tr[data-number='+12025550177']")).containsText("asked on the phone");
        var listed = setup.api().get("/dnc?number=%2B12025550177").json().get("data");
        assertThat(listed.get(0).get("reason").asString()).isEqualTo("asked on the phone");

        // the API's refusal, in its words
        page.getByLabel("Number (E.164)").fill("12345");
        page.locator("#dnc-add").click();
        var refused = setup.api().post("/dnc", Map.of("numbers", List.of("12345")));
        assertThat(refused.status()).isEqualTo(422);
        var shown = page.locator("#dnc-errors li").first().textContent().strip();
        assertThat(shown).startsWith("numbers[0]: ");
        assertThat(refused.text()).contains(shown.substring("numbers[0]: ".length()));

        // the same import as POST /dnc/import, with its report by row
        page.locator("#dnc-file")
                .setInputFiles(new FilePayload(
                        "dnc.csv",
                        "text/csv",
                        "phone,name\n+12025550188,Ann\n+12025550199,Bob\nnot-a-number,Cy\n+12025550177,Di\n"
                                .getBytes(StandardCharsets.UTF_8)));
        page.getByLabel("Reason for every number (optional)").fill("imported list");
        page.locator("#dnc-import").click();
        var report = page.locator("#import-report");
        assertThat(report).containsText("Imported 4 rows: 2 added, 1 already listed, 1 invalid.");
        assertThat(report.locator("tbody tr")).hasCount(1);
        assertThat(report.locator("tbody tr")).containsText("4");
        assertThat(report.locator("tbody tr")).containsText("not-a-number");
        check(page, "compliance-import-report");
        assertThat(setup.api()
                        .get("/dnc?number=%2B12025550199")
                        .json()
                        .get("data")
                        .get(0)
                        .get("source")
                        .asString())
                .isEqualTo("import");

        // search by the start of a number
        page.getByLabel("Number or its start").fill("+1202555018");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search"))
                .click();
        assertThat(page.locator("#dnc-list tbody tr")).hasCount(1);
        assertThat(page.locator("#dnc-list")).containsText("+12025550188");
        page.getByLabel("Number or its start").fill("+1999");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search"))
                .click();
        assertThat(page.locator("main")).containsText("No listed number starts with +1999");
        page.getByLabel("Number or its start").fill("abc");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search"))
                .click();
        assertThat(page.locator("#search-error")).containsText("a search is the start of a number in E.164 format");

        // remove asks first
        page.navigate(base() + "/studio/compliance");
        assertThat(page.locator("#dnc-list tbody tr")).hasCount(3);
        check(page, "compliance");
        page.onceDialog(dialog -> {
            assertThat(dialog.message()).startsWith("Remove +12025550177 from the do-not-call list?");
            dialog.accept();
        });
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove +12025550177"))
                .click();
        assertThat(page.locator("main")).containsText("+12025550177 was removed from the do-not-call list.");
        assertThat(page.locator("tr[data-number='+12025550177']")).hasCount(0);
        assertThat(setup.api().get("/dnc?number=%2B12025550177").json().get("data"))
                .isEmpty();
        // dismissed: nothing is removed
        page.onceDialog(dialog -> dialog.dismiss());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove +12025550188"))
                .click();
        assertThat(page.locator("tr[data-number='+12025550188']")).hasCount(1);
        assertThat(setup.api().get("/dnc?number=%2B12025550188").json().get("data"))
                .hasSize(1);
    }

    @Test
    void aWebhookEndpointShowsItsSecretOnceLogsItsDeliveriesAndRedeliversOne() {
        var email = email();
        var setup = setupWithOwner(email);
        var url = startReceiver();
        var page = signIn(browser(), email);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Webhooks"))
                .click();
        assertThat(page.locator("main")).containsText("No webhook endpoints yet");
        check(page, "webhooks-empty");

        // the API's own rule for the URL
        page.getByLabel("URL").fill("ftp://example.com/hooks");
        page.locator("#webhook-create").click();
        assertThat(page.locator("#webhook-errors")).containsText("url: must be an absolute http:// or https:// URL");

        page.getByLabel("URL").fill(url);
        page.getByLabel("Description (optional)").fill("from studio");
        page.locator("#webhook-create").click();
        var secret = page.locator("#new-secret").inputValue();
        assertThat(secret).isNotBlank();
        check(page, "webhook-created");
        var endpoints = setup.api().get("/webhook-endpoints").json().get("data");
        assertThat(endpoints).hasSize(1);
        var endpointId = endpoints.get(0).get("id").asString();
        assertThat(endpoints.get(0).get("url").asString()).isEqualTo(url);
        assertThat(endpoints.get(0).has("secret")).isFalse();

        page.navigate(base() + "/studio/webhooks");
        assertThat(page.locator("tr[data-endpoint='" + endpointId + "']")).containsText(url);
        assertThat(page.content()).doesNotContain(secret);
        check(page, "webhooks");
        page.navigate(base() + "/studio/webhooks/" + endpointId);
        assertThat(page.locator("main")).containsText("No deliveries yet");
        assertThat(page.content()).doesNotContain(secret);

        // a call's events reach the endpoint
        answeredCall(setup, TO);
        var delivery = awaitDelivered(setup.api(), endpointId);
        var deliveryId = delivery.get("id").asString();
        page.reload();
        var row = page.locator("tr[data-delivery='" + deliveryId + "']");
        assertThat(row.locator(".delivery-status")).hasText("delivered");
        assertThat(row.locator(".delivery-attempts")).hasText("1");
        assertThat(row.locator(".delivery-code")).hasText("204");
        check(page, "webhook-deliveries");

        row.getByRole(AriaRole.BUTTON).click();
        assertThat(page.locator("main")).containsText("The delivery was queued to be sent again.");
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            var d = setup.api()
                    .get("/webhook-endpoints/" + endpointId + "/deliveries/" + deliveryId)
                    .json();
            return d.get("attempts").asInt() == 2
                    && "delivered".equals(d.get("status").asString());
        });
        page.reload();
        assertThat(row.locator(".delivery-attempts")).hasText("2");
        assertThat(row.locator(".delivery-status")).hasText("delivered");

        // rotation shows the new secret once
        page.onceDialog(dialog -> dialog.accept());
        page.locator("#rotate-secret").click();
        var rotated = page.locator("#new-secret").inputValue();
        assertThat(rotated).isNotBlank().isNotEqualTo(secret);
        page.navigate(base() + "/studio/webhooks/" + endpointId);
        assertThat(page.content()).doesNotContain(rotated).doesNotContain(secret);

        // another organization's endpoint is not found
        var other = setupWithOwner(email());
        var theirs = create(other.api(), "/webhook-endpoints", Map.of("url", url));
        var missing =
                page.navigate(base() + "/studio/webhooks/" + theirs.get("id").asString());
        assertThat(missing.status()).isEqualTo(404);

        // delete asks first
        page.navigate(base() + "/studio/webhooks/" + endpointId);
        page.onceDialog(dialog -> {
            assertThat(dialog.message()).startsWith("Delete the endpoint " + url);
            dialog.accept();
        });
        page.locator("#delete-endpoint").click();
        assertThat(page.locator("main")).containsText("was deleted.");
        assertThat(setup.api().get("/webhook-endpoints/" + endpointId).status()).isEqualTo(404);
        assertThat(other.api()
                        .get("/webhook-endpoints/" + theirs.get("id").asString())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void anOperatorSignsInWithTheAdminTokenCreatesAnOrganizationAndGrantsCredits() {
        // a wrong token is refused (from an address of its own: the throttle counts it)
        var wrong = browserFrom("198.51.100.201").newPage();
        wrong.navigate(base() + "/studio/operator/sign-in");
        check(wrong, "operator-sign-in");
        wrong.getByLabel("Admin token").fill("not-the-token");
        wrong.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in as operator"))
                .click();
        assertThat(wrong.locator("#sign-in-error")).hasText("Wrong operator token.");
        var notSignedIn = wrong.navigate(base() + "/studio/operator/organizations");
        assertThat(wrong.url()).contains("/studio/operator/sign-in");
        assertThat(notSignedIn.status()).isEqualTo(200);

        var context = browser();
        var page = operatorSignIn(context);
        assertThat(page.locator("h1")).hasText("Organizations");
        check(page, "operator-organizations");

        // the admin API's own rules
        page.getByLabel("Name").fill("Studio Org " + UUID.randomUUID());
        page.getByLabel("Owner's email (signs in to Studio)").fill(email());
        page.locator("#org-create").click();
        assertThat(page.locator("#organization-errors")).containsText("owner_password: is required with owner_email");

        var owner = email();
        var name = "Studio Org " + UUID.randomUUID();
        page.getByLabel("Name").fill(name);
        page.getByLabel("Starting credits (optional, default 0)").fill("10");
        page.getByLabel("Owner's email (signs in to Studio)").fill(owner);
        page.getByLabel("Owner's initial password (at least 12 characters)").fill(PASSWORD);
        page.locator("#org-create").click();
        page.waitForURL(Pattern.compile(".*/studio/operator/organizations/[0-9a-f-]{36}$"));
        assertThat(page.locator("main")).containsText("The organization " + name + " was created; " + owner);
        var id = page.url().substring(page.url().lastIndexOf('/') + 1);
        assertThat(page.locator("#balance")).hasText(Pattern.compile("^10(\\.0+)?$"));
        check(page, "operator-organization");

        page.getByLabel("Credits to grant").fill("-5");
        page.locator("#grant").click();
        assertThat(page.locator("#credit-errors")).containsText("amount: must be greater than 0");
        page.getByLabel("Credits to grant").fill("25.5");
        page.locator("#grant").click();
        assertThat(page.locator("main")).containsText("Credits granted: the balance is now 35.5");
        assertThat(page.locator("#ledger tbody tr")).hasCount(2);
        page.getByLabel("Rate per answered minute").fill("0.07");
        page.locator("#set-rate").click();
        assertThat(page.locator("#rate")).hasText(Pattern.compile("^0\\.070*$"));
        var organization = admin().get("/admin/organizations/" + id).json();
        assertThat(organization.get("credits").decimalValue()).isEqualByComparingTo("35.5");
        assertThat(organization.get("rate_per_minute").decimalValue()).isEqualByComparingTo("0.07");

        page.navigate(base() + "/studio/operator/organizations");
        assertThat(page.locator("tr[data-organization='" + id + "']")).containsText(name);
        var missing = page.navigate(base() + "/studio/operator/organizations/" + UUID.randomUUID());
        assertThat(missing.status()).isEqualTo(404);

        // the operator's session sees no organization's member pages
        assertThat(page.navigate(base() + "/studio").status()).isEqualTo(403);
        assertThat(page.navigate(base() + "/studio/compliance").status()).isEqualTo(403);
        assertThat(context.request().get(base() + "/studio/events").status()).isEqualTo(403);

        // the new owner signs in to their organization
        var ownerPage = signIn(browser(), owner);
        ownerPage.navigate(base() + "/studio/settings/members");
        assertThat(ownerPage.locator("main")).containsText(owner);

        page.navigate(base() + "/studio/operator/organizations");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))
                .click();
        page.waitForURL(Pattern.compile(".*/studio/operator/sign-in\\?signed-out$"));
    }

    @Test
    void failedOperatorSignInsLockTheOperatorSignInForFifteenMinutes() {
        // five wrong tokens, each from another address: the operator's sign-in is one account
        for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
            var page = browserFrom("198.51.100." + (120 + i)).newPage();
            page.navigate(base() + "/studio/operator/sign-in");
            page.getByLabel("Admin token").fill("wrong token " + i);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in as operator"))
                    .click();
            assertThat(page.locator("#sign-in-error")).hasText("Wrong operator token.");
        }
        var locked = browserFrom("198.51.100.130").newPage();
        locked.navigate(base() + "/studio/operator/sign-in");
        locked.getByLabel("Admin token").fill(ADMIN_TOKEN);
        locked.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in as operator"))
                .click();
        assertThat(locked.locator("#sign-in-error")).containsText("Too many failed sign-ins: try again in 15 minutes.");
        check(locked, "operator-sign-in-locked");

        clock.advance(SignInThrottle.LOCK);
        operatorSignIn(browserFrom("198.51.100.131"));
    }

    @Test
    void aMemberCannotOpenTheOperatorPages() {
        var email = email();
        setupWithOwner(email);
        var context = browser();
        var page = signIn(context, email);
        var token = page.locator("meta[name=_csrf]").getAttribute("content");

        var denied = page.navigate(base() + "/studio/operator/organizations");
        assertThat(denied.status()).isEqualTo(403);
        check(page, "operator-denied-to-member");
        var create = context.request()
                .post(
                        base() + "/studio/operator/organizations",
                        RequestOptions.create()
                                .setForm(FormData.create()
                                        .set("_csrf", token)
                                        .set("name", "Sneaky " + UUID.randomUUID()))
                                .setMaxRedirects(0));
        assertThat(create.status()).isEqualTo(403);
    }

    @Test
    void viewersSeeNoControlsAndTheirChangesAreRefused() {
        var setup = setupWithOwner(email());
        var viewer = email();
        create(setup.api(), "/members", Map.of("email", viewer, "password", PASSWORD, "role", "viewer"));
        assertThat(setup.api()
                        .post("/dnc", Map.of("numbers", List.of("+12025550166")))
                        .status())
                .isEqualTo(200);
        var endpoint = create(setup.api(), "/webhook-endpoints", Map.of("url", "https://example.com/hooks"));
        var endpointId = endpoint.get("id").asString();
        var context = browser();
        var page = signIn(context, viewer);

        page.navigate(base() + "/studio/compliance");
        // the policy as the API reads it, as text
        assertThat(page.locator("#policy"))
                .containsText(
                        setup.api()
                                        .get("/compliance-policy")
                                        .json()
                                        .get("calling_window")
                                        .isNull()
                                ? "off: calls at any hour"
                                : "the callee’s local time");
        assertThat(page.locator("#policy")).containsText("enforced");
        assertThat(page.locator("tr[data-number='+12025550166']")).hasCount(1);
        assertThat(page.locator("#save-policy")).hasCount(0);
        assertThat(page.locator("#dnc-add")).hasCount(0);
        assertThat(page.locator("#dnc-import")).hasCount(0);
        assertThat(page.locator("button.danger")).hasCount(0);
        check(page, "compliance-viewer");
        page.navigate(base() + "/studio/webhooks");
        assertThat(page.locator("tr[data-endpoint='" + endpointId + "']")).hasCount(1);
        assertThat(page.locator("#webhook-create")).hasCount(0);
        assertThat(page.locator("button.danger")).hasCount(0);
        check(page, "webhooks-viewer");
        page.navigate(base() + "/studio/webhooks/" + endpointId);
        assertThat(page.locator("#rotate-secret")).hasCount(0);
        assertThat(page.locator("#delete-endpoint")).hasCount(0);

        var token = page.locator("meta[name=_csrf]").getAttribute("content");
        for (var post : List.of(
                Map.of("path", "/studio/compliance/policy", "field", "dncEnforced", "value", "false"),
                Map.of("path", "/studio/compliance/dnc", "field", "number", "value", "+12025550155"),
                Map.of("path", "/studio/compliance/dnc/remove", "field", "number", "value", "+12025550166"),
                Map.of("path", "/studio/webhooks", "field", "url", "value", "https://example.com/other"),
                Map.of("path", "/studio/webhooks/" + endpointId + "/rotate-secret", "field", "x", "value", "y"),
                Map.of("path", "/studio/webhooks/" + endpointId + "/delete", "field", "x", "value", "y"))) {
            var response = context.request()
                    .post(
                            base() + post.get("path"),
                            RequestOptions.create()
                                    .setForm(FormData.create()
                                            .set("_csrf", token)
                                            .set(post.get("field"), post.get("value")))
                                    .setMaxRedirects(0));
            assertThat(response.status()).as(post.get("path")).isEqualTo(403);
        }
        assertThat(setup.api()
                        .get("/compliance-policy")
                        .json()
                        .get("dnc_enforced")
                        .asBoolean())
                .isTrue();
        assertThat(setup.api().get("/dnc?number=%2B12025550166").json().get("data"))
                .hasSize(1);
        assertThat(setup.api()
                        .get("/dnc?number=" + URLEncoder.encode("+12025550155", StandardCharsets.UTF_8))
                        .json()
                        .get("data"))
                .isEmpty();
        assertThat(setup.api().get("/webhook-endpoints").json().get("data")).hasSize(1);
    }

    private Page operatorSignIn(BrowserContext context) {
        var page = context.newPage();
        page.navigate(base() + "/studio/operator/sign-in");
        page.getByLabel("Admin token").fill(ADMIN_TOKEN);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in as operator"))
                .click();
        page.waitForURL(base() + "/studio/operator/organizations");
        return page;
    }

    /** A client's endpoint on 127.0.0.1 that answers every message 204. */
    private String startReceiver() {
        try {
            receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    }

    /** The endpoint's oldest delivery, once it was delivered (a condition wait). */
    private static JsonNode awaitDelivered(Api api, String endpointId) {
        var holder = new JsonNode[1];
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            var data = api.get("/webhook-endpoints/" + endpointId + "/deliveries")
                    .json()
                    .get("data");
            if (data.isEmpty()) {
                return false;
            }
            var oldest = data.get(data.size() - 1);
            holder[0] = oldest;
            return "delivered".equals(oldest.get("status").asString());
        });
        return holder[0];
    }
}
