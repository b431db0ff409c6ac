package dev.dialplane.webhooks;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing: secrets are {@code whsec_} + base64 of 32 random bytes; a message is
 * signed as {@code v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">}, keyed by
 * the secret's decoded bytes. A secret without that prefix (a campaign's {@code webhook_secret} as
 * its client chose it) is keyed by its UTF-8 bytes as they are. The signing itself is the
 * reference library's.
 */
final class Signatures {

    static final String SECRET_PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {}

    static String newSecret() {
        var bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The {@code webhook-signature} header: one signature per secret, space-separated (the
     * specification's form for signing with a new and an old secret during a rotation).
     */
    static String header(String webhookId, long timestampSeconds, String body, List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one signing secret");
        }
        return secrets.stream()
                .map(secret -> sign(webhookId, timestampSeconds, body, secret))
                .collect(Collectors.joining(" "));
    }

    /**
     * TalkifAI's {@code X-TalkifAI-Signature}: {@code sha256=} and the hex HMAC-SHA256 of the raw
     * body, keyed by the secret's text exactly as shown to the client (UTF-8, {@code whsec_}
     * included), as TalkifAI's verification snippet uses it ({@code secret.encode()}).
     */
    static String talkifai(String body, String secret) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable: " + e.getMessage());
        }
    }

    private static String sign(String webhookId, long timestampSeconds, String body, String secret) {
        try {
            var webhook = secret.startsWith(SECRET_PREFIX)
                    ? new Webhook(secret)
                    : new Webhook(secret.getBytes(StandardCharsets.UTF_8));
            return webhook.sign(webhookId, timestampSeconds, body);
        } catch (EmptyWebhookSecretException | WebhookSigningException e) {
            // the message of either never contains the secret
            throw new IllegalStateException("cannot sign webhook " + webhookId + ": " + e.getMessage());
        }
    }
}
