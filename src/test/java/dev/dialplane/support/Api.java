package dev.dialplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small real-HTTP client for the running test server: what a Dialplane user would send. Every
 * response it receives from the API port is checked against the served OpenAPI document
 * ({@link OpenApiContract}); {@link #unchecked} is for ports that serve no API (management).
 */
public final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String baseUrl;
    private final Map<String, String> headers;
    private final boolean checked;

    public Api(String baseUrl, Map<String, String> headers) {
        this(baseUrl, headers, true);
    }

    private Api(String baseUrl, Map<String, String> headers, boolean checked) {
        this.baseUrl = baseUrl;
        this.headers = Map.copyOf(headers);
        this.checked = checked;
    }

    public static Api at(int port) {
        return new Api("http://127.0.0.1:" + port, Map.of());
    }

    /** A client whose responses are not checked against the OpenAPI document (the management port). */
    public static Api unchecked(int port) {
        return new Api("http://127.0.0.1:" + port, Map.of(), false);
    }

    /** This client without the OpenAPI check: for a response a test made up itself (a stored replay, say). */
    public Api unchecked() {
        return new Api(baseUrl, headers, false);
    }

    public Api withKey(String apiKey) {
        return withHeader("Authorization", "Bearer " + apiKey);
    }

    public Api withHeader(String name, String value) {
        var merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new Api(baseUrl, merged, checked);
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response post(String path) {
        return send("POST", path, null, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, "application/json", json(body));
    }

    public Response put(String path, Object body) {
        return send("PUT", path, "application/json", json(body));
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, "application/merge-patch+json", json(body));
    }

    /** Sends a body exactly as given (malformed JSON, other content types). */
    public Response send(String method, String path, String contentType, String body) {
        var builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        headers.forEach(builder::header);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        builder.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            var sent = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            var response = new Response(sent.statusCode(), sent.headers().map(), sent.body());
            if (checked) {
                OpenApiContract.check(baseUrl, method, path, response);
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object body) {
        return body instanceof String text ? text : JSON.writeValueAsString(body);
    }

    public record Response(int status, Map<String, java.util.List<String>> headers, String text) {

        public JsonNode json() {
            return JSON.readTree(text);
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }
}
