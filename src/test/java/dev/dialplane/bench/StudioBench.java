package dev.dialplane.bench;

import dev.dialplane.fakelivekit.FakeLiveKit;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Studio's list pages with 100,000 calls in PostgreSQL: how long each takes to render, as a
 * signed-in member's browser requests it over localhost (the server's rendering plus a local
 * transfer). The calls are copies of one placed call, made in SQL, spread over 10,000 numbers,
 * four end states and the last few days.
 */
final class StudioBench {

    private static final String PASSWORD = "bench-password-1";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern NEXT = Pattern.compile("href=\"/studio/calls\\?[^\"]*cursor=([^\"&]+)");
    private static final int WARM_UP = 10;
    private static final int ROUNDS = 50;

    private StudioBench() {}

    static void lists(int calls) throws Exception {
        try (var liveKit = FakeLiveKit.start();
                var db = Bench.Database.create();
                var node = Node.start("studio-1", 18081, "1g", Bench.env(db, liveKit))) {
            var setup = Bench.Setup.create(node.api(), null);
            var email = "bench-" + UUID.randomUUID() + "@example.com";
            var member = setup.api().post("/members", Map.of("email", email, "password", PASSWORD, "role", "owner"));
            if (member.status() != 201) {
                throw new IllegalStateException("no member: " + member.text());
            }
            var placed = setup.api()
                    .post("/calls/outbound", Map.of("agent_id", setup.agentId(), "to_number", "+12025550100"));
            var template = placed.json().get("call_id").asString();
            var started = System.nanoTime();
            copyCall(db, template, calls - 1);
            System.out.printf(
                    "%,d calls in PostgreSQL (copies of one placed call, made in SQL in %.1f s)%n",
                    calls, (System.nanoTime() - started) / 1e9);

            var browser = HttpClient.newBuilder()
                    .cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            var base = "http://127.0.0.1:" + node.port;
            signIn(browser, base, email);
            var first = get(browser, base + "/studio/calls").body();
            var cursor = NEXT.matcher(first);
            if (!cursor.find()) {
                throw new IllegalStateException("the first page has no next-page link");
            }
            var pages = new LinkedHashMap<String, String>();
            pages.put("calls, first page", "/studio/calls");
            pages.put("calls, the next page (cursor)", "/studio/calls?cursor=" + cursor.group(1));
            pages.put("calls, live rows fragment", "/studio/calls/rows");
            pages.put("calls filtered by status (busy)", "/studio/calls?status=busy");
            pages.put("calls filtered by number", "/studio/calls?number=" + encode("+12025554321"));
            pages.put("overview", "/studio");
            pages.put("a call's page", "/studio/calls/" + template);
            System.out.printf("render time per page (%d requests after %d warm-up; ms):%n", ROUNDS, WARM_UP);
            for (var page : pages.entrySet()) {
                var times = new ArrayList<Double>();
                for (int i = 0; i < WARM_UP + ROUNDS; i++) {
                    var begin = System.nanoTime();
                    var response = get(browser, base + page.getValue());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(page.getKey() + ": HTTP " + response.statusCode());
                    }
                    if (i >= WARM_UP) {
                        times.add((System.nanoTime() - begin) / 1e6);
                    }
                }
                System.out.printf(
                        "  %-34s p50 %6.1f  p95 %6.1f  max %6.1f%n",
                        page.getKey(), percentile(times, 50), percentile(times, 95), percentile(times, 100));
            }
        }
    }

    /** Copies the call {@code n} times: new ids and rooms, 10,000 numbers, four end states, 3 s apart. */
    private static void copyCall(Bench.Database db, String template, int n) throws Exception {
        try (var c = DriverManager.getConnection(db.url(), "postgres", "")) {
            var columns = new ArrayList<String>();
            try (var rs = c.createStatement()
                    .executeQuery("select column_name from information_schema.columns where table_name = 'calls'"
                            + " and table_schema = current_schema() order by ordinal_position")) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            var values = columns.stream()
                    .map(column -> switch (column) {
                        case "id" -> "gen_random_uuid()";
                        case "room_name" -> "room_name || '_' || g";
                        case "idempotency_key" -> "null";
                        case "to_number" -> "'+1202555' || lpad((g % 10000)::text, 4, '0')";
                        case "status" -> "(array['completed', 'busy', 'no_answer', 'failed'])[g % 4 + 1]";
                        case "created_at", "updated_at" -> column + " - g * interval '3 seconds'";
                        default -> column;
                    })
                    .toList();
            c.createStatement()
                    .executeUpdate("insert into calls (" + String.join(", ", columns) + ") select "
                            + String.join(", ", values) + " from calls, generate_series(1, " + n + ") g where id = '"
                            + UUID.fromString(template) + "'");
            c.createStatement().execute("analyze calls");
        }
    }

    private static void signIn(HttpClient browser, String base, String email) throws Exception {
        var form = get(browser, base + "/studio/sign-in").body();
        var csrf = CSRF.matcher(form);
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF token on the sign-in form");
        }
        var body = "email=" + encode(email) + "&password=" + encode(PASSWORD) + "&_csrf=" + encode(csrf.group(1));
        var response = browser.send(
                HttpRequest.newBuilder(URI.create(base + "/studio/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        var location = response.headers().firstValue("Location").orElse("");
        if (response.statusCode() != 302 || location.contains("error")) {
            throw new IllegalStateException("sign-in refused: " + response.statusCode() + " " + location);
        }
    }

    private static HttpResponse<String> get(HttpClient browser, String url) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static double percentile(List<Double> values, int percentile) {
        var sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        var index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
