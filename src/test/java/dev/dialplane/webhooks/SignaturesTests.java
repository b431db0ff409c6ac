package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The signature format receivers depend on: Standard Webhooks, checkable with any of its libraries or by hand. */
class SignaturesTests {

    // the Standard Webhooks specification's published test vector
    private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long VECTOR_TIMESTAMP = 1614265330;
    private static final String VECTOR_BODY = "{\"test\": 2432232314}";
    private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    /** TalkifAI's form, as their Python snippet computes it: hmac.new(secret.encode(), body, sha256).hexdigest(). */
    @Test
    void talkifaiSignatureIsTheHexHmacOfTheBodyKeyedByTheSecretText() {
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"whsec_test",b"{\"a\":1}",hashlib.sha256).hexdigest())'
        assertThat(Signatures.talkifai("{\"a\":1}", "whsec_test"))
                .isEqualTo("sha256=51426af50a41dd7ff2cd3f116594734766d4018d15d6fb07169aee5d2959adf5");
    }

    @Test
    void signsLikeTheSpecificationsTestVector() {
        assertThat(Signatures.header(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, List.of(VECTOR_SECRET)))
                .isEqualTo(VECTOR_SIGNATURE);
    }

    @Test
    void theSignatureIsAnHmacOfIdTimestampAndBodyKeyedByTheDecodedSecret() throws Exception {
        var secret = Signatures.newSecret();
        var body = "{\"type\":\"call.completed\",\"data\":{\"note\":\"caf\u00e9 \u260e\"}}";

        var header = Signatures.header("msg_1", 1_700_000_000L, body, List.of(secret));

        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        var expected = mac.doFinal(("msg_1.1700000000." + body).getBytes(StandardCharsets.UTF_8));
        assertThat(header).isEqualTo("v1," + Base64.getEncoder().encodeToString(expected));
    }

    @Test
    void secretsAreWhsecAndThirtyTwoRandomBytes() {
        var secrets =
                IntStream.range(0, 20).mapToObj(i -> Signatures.newSecret()).toList();
        assertThat(secrets).doesNotHaveDuplicates().allSatisfy(secret -> {
            assertThat(secret).startsWith("whsec_");
            assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length())))
                    .hasSize(32);
        });
    }

    @Test
    void duringARotationTheHeaderCarriesOneSignaturePerSecretAndEachVerifies() throws Exception {
        var current = Signatures.newSecret();
        var previous = Signatures.newSecret();
        var now = Instant.now().getEpochSecond();
        var body = "{\"type\":\"credit.low\"}";

        var header = Signatures.header("msg_2", now, body, List.of(current, previous));

        assertThat(header.split(" "))
                .hasSize(2)
                .allSatisfy(part -> assertThat(part).startsWith("v1,"));
        var headers = Map.of(
                "webhook-id",
                List.of("msg_2"),
                "webhook-timestamp",
                List.of(Long.toString(now)),
                "webhook-signature",
                List.of(header));
        new Webhook(current).verify(body, headers);
        new Webhook(previous).verify(body, headers);
        assertThatThrownBy(() -> new Webhook(Signatures.newSecret()).verify(body, headers))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aMessageNeedsASecret() {
        assertThatThrownBy(() -> Signatures.header("msg_3", 1, "{}", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
