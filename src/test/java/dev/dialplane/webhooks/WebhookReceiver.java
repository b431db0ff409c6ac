package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dialplane.support.OpenApiContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client's webhook endpoint on 127.0.0.1: records every request exactly as it arrived and
 * answers with the status the test chooses (204 unless told otherwise), or, while held, not at all.
 * Every body is checked against the OpenAPI document's {@code WebhookMessage}; a body it does not
 * describe fails the test when it reads what arrived, or at the latest when the receiver closes.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpServer server;
    private final String documentBaseUrl;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> contractViolations = new CopyOnWriteArrayList<>();
    private volatile int status = 204;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private WebhookReceiver(HttpServer server, String documentBaseUrl) {
        this.server = server;
        this.documentBaseUrl = documentBaseUrl;
    }

    /** A receiver whose bodies are checked against the OpenAPI document Dialplane serves at this base URL. */
    static WebhookReceiver start(String documentBaseUrl) {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            var receiver = new WebhookReceiver(server, documentBaseUrl);
            server.createContext("/", receiver::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/dialplane?source=test";
    }

    void respondWith(int status) {
        this.status = status;
    }

    /** From now on requests are recorded but not answered until {@link #release()}: a slow endpoint. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    List<Received> received() {
        checkContract();
        return List.copyOf(received);
    }

    private void checkContract() {
        if (!contractViolations.isEmpty()) {
            throw new AssertionError(
                    "A webhook body is not the document's WebhookMessage:\n" + String.join("\n", contractViolations));
        }
    }

    /** Waits until {@code count} requests matching {@code filter} arrived, and returns them in arrival order. */
    List<Received> await(int count, Predicate<Received> filter) {
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> received.stream().filter(filter).count() >= count);
        checkContract();
        return received.stream().filter(filter).toList();
    }

    List<Received> await(int count) {
        return await(count, r -> true);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        checkContract();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var headers = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            // a talkifai endpoint's messages are the document's TalkifaiWebhookMessage
            var violations = OpenApiContract.webhookViolations(
                    documentBaseUrl,
                    body,
                    headers.containsKey("X-TalkifAI-Signature") ? "TalkifaiWebhookMessage" : "WebhookMessage");
            if (!violations.isEmpty()) {
                contractViolations.add(violations);
            }
            received.add(new Received(
                    exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    record Received(String method, String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            var values = headers.get(name);
            return values == null ? null : values.getFirst();
        }

        String webhookId() {
            return header("webhook-id");
        }

        long timestamp() {
            return Long.parseLong(header("webhook-timestamp"));
        }

        List<String> signatures() {
            return Arrays.asList(header("webhook-signature").split(" "));
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        String type() {
            return json().get("type").asString();
        }

        /** Verifies with the Standard Webhooks reference library, as a client would (it checks the timestamp too). */
        void verifyWith(String secret) {
            try {
                new Webhook(secret).verify(body, headers);
            } catch (Exception e) {
                throw new AssertionError("signature does not verify with the library: " + e.getMessage(), e);
            }
        }

        /**
         * Verifies by hand, as the README describes: HMAC-SHA256 of {@code id.timestamp.body} keyed by
         * the base64-decoded part after {@code whsec_}, compared with each {@code v1,} signature.
         */
        boolean signedBy(String secret) {
            try {
                var mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(
                        Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
                var expected =
                        mac.doFinal((webhookId() + "." + timestamp() + "." + body).getBytes(StandardCharsets.UTF_8));
                return signatures().stream()
                        .filter(signature -> signature.startsWith("v1,"))
                        .map(signature -> Base64.getDecoder().decode(signature.substring(3)))
                        .anyMatch(candidate -> MessageDigest.isEqual(candidate, expected));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Verifies a talkifai message by hand, as the README's snippet does: {@code sha256=} and the
         * hex HMAC-SHA256 of the raw body keyed by the secret's text, compared in constant time.
         */
        boolean talkifaiSignedBy(String secret, String header) {
            try {
                var mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                var expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
                var received = header(header);
                return received != null
                        && MessageDigest.isEqual(
                                expected.getBytes(StandardCharsets.UTF_8), received.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean talkifaiSignedBy(String secret) {
            return talkifaiSignedBy(secret, "X-TalkifAI-Signature");
        }

        void assertWellFormed() {
            assertThat(method).isEqualTo("POST");
            assertThat(path).isEqualTo("/hooks/dialplane?source=test");
            assertThat(header("Content-Type")).isEqualTo("application/json");
            assertThat(header("User-Agent")).isEqualTo("Dialplane-Webhooks/1");
            assertThat(webhookId()).startsWith("msg_");
            assertThat(header("webhook-timestamp")).matches("[0-9]{10}");
        }
    }
}
