package dev.dialplane.webhooks;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * One HTTP POST of a signed message. Redirects are not followed (a 3xx is a failed attempt), so a
 * message only ever reaches the URL the client registered. The response body is never read.
 */
@Component
class WebhookSender {

    static final String USER_AGENT = "Dialplane-Webhooks/1";

    private final HttpClient http;
    private final WebhooksProperties properties;

    WebhookSender(WebhooksProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /**
     * Sends the message and says how it went; never throws for anything the endpoint or the network
     * did.
     *
     * @throws InterruptedException when the worker is being stopped mid-request
     */
    Result send(String url, String webhookId, long timestamp, String signature, String body)
            throws InterruptedException {
        var headers = new LinkedHashMap<String, String>();
        headers.put("webhook-id", webhookId);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signature);
        return send(url, headers, body);
    }

    /**
     * Sends the body with these signature headers besides {@code Content-Type} and {@code User-Agent}.
     *
     * @throws InterruptedException when the worker is being stopped mid-request
     */
    Result send(String url, Map<String, String> signatureHeaders, String body) throws InterruptedException {
        var started = System.nanoTime();
        try {
            var builder = HttpRequest.newBuilder(URI.create(url)).timeout(properties.requestTimeout());
            signatureHeaders.forEach(builder::header);
            var request = builder.header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            // the body is closed unread: a slow or endless body cannot hold the attempt beyond the timeout
            var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            var status = response.statusCode();
            var error = status >= 200 && status < 300
                    ? null
                    : "endpoint answered HTTP " + status
                            + (status >= 300 && status < 400
                                    ? " (redirects are not followed: register the final URL)"
                                    : "");
            return new Result(status, error, elapsedMillis(started));
        } catch (HttpConnectTimeoutException e) {
            return new Result(
                    null,
                    "could not connect within " + properties.connectTimeout().toSeconds() + " s",
                    elapsedMillis(started));
        } catch (HttpTimeoutException e) {
            return new Result(
                    null,
                    "no response within " + properties.requestTimeout().toSeconds() + " s",
                    elapsedMillis(started));
        } catch (ConnectException e) {
            return new Result(null, "connection failed" + detail(e), elapsedMillis(started));
        } catch (IOException | IllegalArgumentException e) {
            return new Result(null, e.getClass().getSimpleName() + detail(e), elapsedMillis(started));
        }
    }

    @PreDestroy
    void close() {
        http.shutdownNow();
    }

    private static String detail(Exception e) {
        var message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "";
        }
        return ": " + (message.length() > 300 ? message.substring(0, 300) : message);
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * @param statusCode the endpoint's HTTP status; null when no response arrived
     * @param error why the attempt failed; null for a 2xx
     */
    record Result(@Nullable Integer statusCode, @Nullable String error, long durationMs) {

        boolean delivered() {
            return error == null;
        }
    }
}
