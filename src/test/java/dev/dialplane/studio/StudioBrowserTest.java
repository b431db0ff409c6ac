package dev.dialplane.studio;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every Studio browser test shares: Playwright for Java driving Debian's Chromium (launched
 * once per class, no browser download) against the app on a random port, with the fake LiveKit
 * behind it; a browser context per user (its own cookies), sign-in, and {@link #check}: axe-core
 * finds no serious or critical violation and the page is photographed at 1280×800 and 390×844
 * into target/studio-screenshots/. Pages run under their real CSP: axe is served same-origin by a
 * Playwright route, never inline. A console error (a CSP refusal, a failed script) fails the test.
 */
abstract class StudioBrowserTest extends LiveKitIntegrationTest {

    static final String PASSWORD = "studio-password-1";
    static final String TO = "+12025550177";
    static final Path SCREENSHOTS = Paths.get("target", "studio-screenshots");
    static final double TIMEOUT_MS = WAIT.toMillis();
    private static final String AXE_PATH = "/studio/assets/__axe_under_test.js";

    private static Playwright playwright;
    private static Browser browser;
    private static String axe;

    private final List<BrowserContext> contexts = new ArrayList<>();
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void launch() throws IOException {
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        var args = new ArrayList<>(List.of(
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage"));
        if ("root".equals(System.getProperty("user.name"))) {
            args.add("--no-sandbox");
        }
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(Paths.get("/usr/bin/chromium"))
                        .setHeadless(true)
                        .setArgs(args));
        try (var in =
                StudioBrowserTest.class.getResourceAsStream("/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            axe = new String(
                    java.util.Objects.requireNonNull(in, "the axe-core WebJar").readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
        assertThat(consoleErrors)
                .as("browser console errors (a CSP refusal, a failed script)")
                .isEmpty();
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** A browser of its own (cookies, session), coming from {@code address} through a trusted proxy. */
    BrowserContext browserFrom(String address) {
        var context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 800)
                .setExtraHTTPHeaders(Map.of("X-Forwarded-For", address)));
        context.setDefaultTimeout(TIMEOUT_MS);
        context.route(
                "**" + AXE_PATH,
                route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                        .setStatus(200)
                        .setContentType("application/javascript")
                        .setBody(axe)));
        // a script the CSP refused, or one that failed; a 4xx page's own "failed to load" is expected
        context.onConsoleMessage(message -> {
            // ("Event" is htmx logging the live stream's end when the page is left)
            if ("error".equals(message.type())
                    && !message.text().startsWith("Failed to load resource")
                    && !message.text().equals("Event")) {
                consoleErrors.add(message.text());
            }
        });
        contexts.add(context);
        return context;
    }

    BrowserContext browser() {
        return browserFrom("127.0.0.1");
    }

    static String email() {
        return "s-" + UUID.randomUUID() + "@example.com";
    }

    /** An organization set up to call, whose owner signs in with {@code email}. */
    Setup setupWithOwner(String email) {
        var setup = newSetup();
        create(setup.api(), "/members", Map.of("email", email, "password", PASSWORD, "role", "owner"));
        return setup;
    }

    Page signIn(BrowserContext context, String email) {
        var page = context.newPage();
        page.navigate(base() + "/studio/sign-in");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(PASSWORD);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        page.waitForURL(base() + "/studio");
        return page;
    }

    static LocatorAssertions.HasTextOptions waiting() {
        return new LocatorAssertions.HasTextOptions().setTimeout(TIMEOUT_MS);
    }

    /** axe-core finds no serious or critical violation, and the page is photographed at both sizes. */
    static void check(Page page, String name) {
        page.addScriptTag(new Page.AddScriptTagOptions().setUrl(AXE_PATH));
        var violations = page.evaluate("async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
                + " return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')); }");
        assertThat((List<?>) violations).as("axe-core on " + name).isEmpty();
        page.setViewportSize(1280, 800);
        page.screenshot(
                new Page.ScreenshotOptions().setFullPage(true).setPath(SCREENSHOTS.resolve(name + "-1280x800.png")));
        page.setViewportSize(390, 844);
        page.screenshot(
                new Page.ScreenshotOptions().setFullPage(true).setPath(SCREENSHOTS.resolve(name + "-390x844.png")));
        page.setViewportSize(1280, 800);
    }

    static void tabTo(Page page, String id) {
        for (int i = 0; i < 60; i++) {
            page.keyboard().press("Tab");
            if (id.equals(page.evaluate("() => document.activeElement && document.activeElement.id"))) {
                return;
            }
        }
        throw new AssertionError("Tab never reached #" + id);
    }
}
