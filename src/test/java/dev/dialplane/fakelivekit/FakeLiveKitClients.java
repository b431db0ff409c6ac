package dev.dialplane.fakelivekit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Message;
import io.livekit.server.AccessToken;
import io.livekit.server.RoomAdmin;
import io.livekit.server.RoomCreate;
import io.livekit.server.RoomList;
import io.livekit.server.RoomName;
import io.livekit.server.RoomRecord;
import io.livekit.server.SIPAdmin;
import io.livekit.server.SIPCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import retrofit2.Retrofit;
import retrofit2.converter.protobuf.ProtoConverterFactory;

/** Clients and tokens for the fake's own tests: the SDK's retrofit interfaces and plain JDK HTTP. */
final class FakeLiveKitClients {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private FakeLiveKitClients() {}

    /** What the SDK's own SipServiceClient signs for CreateSIPParticipant: sip.call only. */
    static String sipCallBearer(FakeLiveKit fake) {
        var token = new AccessToken(fake.apiKey(), fake.apiSecret());
        token.setTtl(600_000);
        token.addSIPGrants(new SIPCall());
        return "Bearer " + token.toJwt();
    }

    /** Every grant the fake knows, scoped to one room. */
    static String allGrantsBearer(FakeLiveKit fake, String room) {
        var token = new AccessToken(fake.apiKey(), fake.apiSecret());
        token.setTtl(600_000);
        token.addGrants(
                new RoomAdmin(true),
                new RoomName(room),
                new RoomCreate(true),
                new RoomList(true),
                new RoomRecord(true));
        token.addSIPGrants(new SIPCall(), new SIPAdmin());
        return "Bearer " + token.toJwt();
    }

    /** A hand-made token, for shapes the SDK will not produce (expired, no exp, alg none…). */
    static String rawToken(Map<String, Object> claims, String secret) {
        return Jwt.sign(claims, secret);
    }

    static Map<String, Object> claims(FakeLiveKit fake, Map<String, Object> custom) {
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", fake.apiKey());
        claims.put("exp", Instant.now().plusSeconds(600).getEpochSecond());
        claims.putAll(custom);
        return claims;
    }

    static Retrofit retrofit(FakeLiveKit fake) {
        var okHttp = new OkHttpClient.Builder()
                .readTimeout(TIMEOUT)
                .callTimeout(TIMEOUT)
                .build();
        return new Retrofit.Builder()
                .baseUrl(fake.url())
                .addConverterFactory(ProtoConverterFactory.create())
                .client(okHttp)
                .build();
    }

    static HttpResponse<String> postJson(
            FakeLiveKit fake, String rpcPath, String json, String authorization, String... extraHeaders) {
        return post(
                fake,
                rpcPath,
                "application/json",
                json.getBytes(StandardCharsets.UTF_8),
                authorization,
                extraHeaders,
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postProto(
            FakeLiveKit fake, String rpcPath, Message body, String authorization, String... extraHeaders) {
        return post(
                fake,
                rpcPath,
                "application/protobuf",
                body.toByteArray(),
                authorization,
                extraHeaders,
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> postProtoBytes(FakeLiveKit fake, String rpcPath, Message body, String authorization) {
        return post(
                fake,
                rpcPath,
                "application/protobuf",
                body.toByteArray(),
                authorization,
                new String[0],
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static <T> HttpResponse<T> post(
            FakeLiveKit fake,
            String rpcPath,
            String contentType,
            byte[] body,
            String authorization,
            String[] extraHeaders,
            HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.url() + rpcPath))
                .timeout(TIMEOUT)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i < extraHeaders.length; i += 2) {
            request.header(extraHeaders[i], extraHeaders[i + 1]);
        }
        return send(request.build(), handler);
    }

    static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }
}
