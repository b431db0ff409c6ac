package dev.dialplane.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The classification table of DESIGN.md §3, on the error shapes of the LiveKit contract §2.5/§3.3. */
class TwirpErrorsTests {

    @ParameterizedTest(name = "{0} {1} sip {2} -> {3}")
    @CsvSource({
        "resource_exhausted, 429, 486, BUSY",
        "resource_exhausted, 429, 600, BUSY",
        "resource_exhausted, 429, 480, NO_ANSWER",
        "deadline_exceeded, 408, 408, NO_ANSWER",
        "permission_denied, 403, 603, DECLINED",
        "permission_denied, 403, 607, DECLINED",
        "permission_denied, 403, 608, DECLINED",
        "not_found, 404, 404, INVALID_NUMBER",
        "not_found, 404, 604, INVALID_NUMBER",
        "invalid_argument, 400, 484, INVALID_NUMBER",
        "invalid_argument, 400, 400, INVALID_NUMBER",
        "permission_denied, 403, 403, TRUNK_AUTH_FAILED",
        "failed_precondition, 412, 503, CARRIER_CAPACITY",
        "failed_precondition, 412, 502, CARRIER_ERROR",
        "failed_precondition, 412, 500, CARRIER_ERROR",
        "deadline_exceeded, 408, 504, CARRIER_ERROR",
        "invalid_argument, 400, 488, CARRIER_ERROR",
        "permission_denied, 403, 402, CARRIER_ERROR",
        "aborted, 409, 487, NO_ANSWER"
    })
    void sipStatusDecides(String code, int http, int sip, DialFailure expected) {
        var body = """
                {"code":"%s","msg":"twirp error unknown: INVITE failed: sip status: %d","meta":{"sip_status_code":"%d","sip_status":"Phrase"}}""".formatted(code, sip, sip);
        var failed = TwirpErrors.classify(http, body);
        assertThat(failed.failure()).isEqualTo(expected);
        assertThat(failed.sipStatusCode()).isEqualTo(sip);
        assertThat(failed.sipStatus()).isEqualTo("Phrase");
        assertThat(failed.message())
                .startsWith("LiveKit " + code + ": INVITE failed")
                .doesNotContain("twirp error unknown");
    }

    @ParameterizedTest(name = "{0} \"{2}\" -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "canceled|408|twirp error unknown: sip request timed out|NO_ANSWER",
                "deadline_exceeded|408|request timed out|NO_ANSWER",
                "failed_precondition|412|twirp error unknown: max auth retry attempts reached for SIP invite|TRUNK_AUTH_FAILED",
                "failed_precondition|412|sip server required auth, but no username or password was provided|TRUNK_AUTH_FAILED",
                "failed_precondition|412|twirp error unknown: context deadline exceeded|NO_ANSWER",
                "failed_precondition|412|no numbers on outbound trunk|LIVEKIT_REJECTED",
                "unavailable|503|no response from servers|LIVEKIT_UNAVAILABLE",
                "internal|500|update room failed|LIVEKIT_UNAVAILABLE",
                "unauthenticated|401|permissions denied|LIVEKIT_REJECTED",
                "not_found|404|requested sip trunk does not exist|LIVEKIT_REJECTED",
                "invalid_argument|400|missing room name|LIVEKIT_REJECTED"
            })
    void twirpCodeDecidesWithoutSipStatus(String code, int http, String message, DialFailure expected) {
        var failed = TwirpErrors.classify(http, "{\"code\":\"" + code + "\",\"msg\":\"" + message + "\"}");
        assertThat(failed.failure()).isEqualTo(expected);
        assertThat(failed.sipStatusCode()).isNull();
    }

    @Test
    void plainTextAuthenticationFailureIsARejection() {
        var failed = TwirpErrors.classify(401, "invalid API key");
        assertThat(failed.failure()).isEqualTo(DialFailure.LIVEKIT_REJECTED);
        assertThat(failed.message()).isEqualTo("LiveKit refused Dialplane's API key or secret: invalid API key");
    }

    @Test
    void nonTwirpServerErrorIsUnavailable() {
        assertThat(TwirpErrors.classify(502, "<html>Bad Gateway</html>").failure())
                .isEqualTo(DialFailure.LIVEKIT_UNAVAILABLE);
    }

    @Test
    void longMessagesAreTrimmed() {
        var failed = TwirpErrors.classify(500, "x".repeat(5000));
        assertThat(failed.message()).hasSizeLessThan(320);
    }
}
