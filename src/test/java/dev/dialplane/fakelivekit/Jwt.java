package dev.dialplane.fakelivekit;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * HS256 JWTs, written here rather than borrowed from the SDK so that the fake checks tokens the way the server
 * does and not the way the client that produced them does (contract §2.3).
 */
final class Jwt {

    private static final Gson GSON = new Gson();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    static final long LEEWAY_SECONDS = 60;

    private Jwt() {}

    /** Raised for middleware failures: these become HTTP 401 with a plain-text body, not Twirp JSON. */
    static final class AuthFailure extends RuntimeException {
        AuthFailure(String message) {
            super(message, null, false, false);
        }
    }

    static String sign(Map<String, Object> claims, String secret) {
        String header = B64URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = B64URL.encodeToString(GSON.toJson(claims).getBytes(StandardCharsets.UTF_8));
        String signingInput = header + "." + payload;
        return signingInput + "." + B64URL.encodeToString(hmac(signingInput, secret));
    }

    /** The payload of any structurally valid token, signature unchecked; empty when it cannot be read. */
    static Map<String, Object> decodePayloadLeniently(String token) {
        try {
            String[] parts = token.split("\\.", -1);
            if (parts.length != 3) {
                return Map.of();
            }
            return toJava(JsonParser.parseString(new String(B64URL_DECODER.decode(parts[1]), StandardCharsets.UTF_8))
                    .getAsJsonObject());
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * Verifies like livekit-server's auth middleware: parse (HS256 only), look the secret up by {@code iss}, check the
     * signature, then require {@code exp} and honour {@code nbf}, each with one minute of leeway. Messages follow
     * {@code pkg/service/auth.go}; the inner reasons imitate go-jose's wording.
     */
    static Map<String, Object> verify(String token, Function<String, @Nullable String> secretForKey, Instant now) {
        String[] parts = token.split("\\.", -1);
        JsonObject header;
        JsonObject payload;
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("compact JWS must have three parts");
            }
            header = JsonParser.parseString(new String(B64URL_DECODER.decode(parts[0]), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            payload = JsonParser.parseString(new String(B64URL_DECODER.decode(parts[1]), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            B64URL_DECODER.decode(parts[2]);
        } catch (RuntimeException e) {
            throw new AuthFailure("invalid authorization token");
        }
        // The server parses with HS256 as the only accepted algorithm, so "none" or RS256 fail at parse time.
        if (!header.has("alg") || !"HS256".equals(stringOrNull(header.get("alg")))) {
            throw new AuthFailure("invalid authorization token");
        }
        String apiKey = payload.has("iss") ? stringOrNull(payload.get("iss")) : null;
        String secret = apiKey == null ? null : secretForKey.apply(apiKey);
        if (secret == null || secret.isEmpty()) {
            throw new AuthFailure("invalid API key: " + (apiKey == null ? "" : apiKey));
        }
        byte[] expected = hmac(parts[0] + "." + parts[1], secret);
        if (!MessageDigest.isEqual(expected, B64URL_DECODER.decode(parts[2]))) {
            throw invalidToken(token, "go-jose/go-jose: error in cryptographic primitive");
        }
        long nowSeconds = now.getEpochSecond();
        Long exp = numericClaim(payload, "exp");
        if (exp == null) {
            throw invalidToken(token, "go-jose/go-jose/jwt: validation failed, missing expiration (exp)");
        }
        if (nowSeconds - LEEWAY_SECONDS > exp) {
            throw invalidToken(token, "go-jose/go-jose/jwt: validation failed, token is expired (exp)");
        }
        Long nbf = numericClaim(payload, "nbf");
        if (nbf != null && nowSeconds + LEEWAY_SECONDS < nbf) {
            throw invalidToken(token, "go-jose/go-jose/jwt: validation failed, token not valid yet (nbf)");
        }
        return toJava(payload);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthFailure invalidToken(String token, String reason) {
        return new AuthFailure("invalid token: " + token + ", error: " + reason);
    }

    private static byte[] hmac(String signingInput, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static @Nullable Long numericClaim(JsonObject payload, String name) {
        JsonElement value = payload.get(name);
        if (value == null
                || !value.isJsonPrimitive()
                || !value.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        return value.getAsJsonPrimitive().getAsBigDecimal().longValue();
    }

    private static @Nullable String stringOrNull(JsonElement element) {
        return element.isJsonPrimitive() && element.getAsJsonPrimitive().isString() ? element.getAsString() : null;
    }

    private static Map<String, Object> toJava(JsonObject object) {
        var out = new LinkedHashMap<String, Object>();
        for (var entry : object.entrySet()) {
            Object value = toJava(entry.getValue());
            if (value != null) {
                out.put(entry.getKey(), value);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static @Nullable Object toJava(JsonElement element) {
        if (element.isJsonNull()) {
            return null;
        }
        if (element instanceof JsonObject object) {
            return toJava(object);
        }
        if (element instanceof JsonArray array) {
            return array.asList().stream().map(Jwt::toJava).toList();
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            var decimal = primitive.getAsBigDecimal();
            return decimal.scale() <= 0 || decimal.stripTrailingZeros().scale() <= 0
                    ? (Object) decimal.longValue()
                    : (Object) decimal.doubleValue();
        }
        return primitive.getAsString();
    }
}
