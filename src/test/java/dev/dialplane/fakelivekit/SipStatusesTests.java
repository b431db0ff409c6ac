package dev.dialplane.fakelivekit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SIP → Twirp table of §3.3, including its fallbacks. */
class SipStatusesTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "486, resource_exhausted",
        "600, resource_exhausted",
        "480, resource_exhausted",
        "603, permission_denied",
        "607, permission_denied",
        "608, permission_denied",
        "403, permission_denied",
        "402, permission_denied",
        "404, not_found",
        "604, not_found",
        "301, not_found",
        "302, not_found",
        "408, deadline_exceeded",
        "504, deadline_exceeded",
        "487, aborted",
        "400, invalid_argument",
        "484, invalid_argument",
        "485, invalid_argument",
        "488, invalid_argument",
        "606, invalid_argument",
        "300, invalid_argument",
        "305, invalid_argument",
        "380, invalid_argument",
        "500, failed_precondition",
        "502, failed_precondition",
        "503, failed_precondition",
        "499, invalid_argument",
        "599, failed_precondition",
        "699, invalid_argument",
    })
    void sipCodeMapsToTwirpCode(int sip, String twirp) {
        assertThat(SipStatuses.twirpCodeFor(sip)).isEqualTo(twirp);
    }

    @Test
    void twirpHttpStatusesFollowTwirpV8() {
        assertThat(TwirpException.httpStatusOf("resource_exhausted")).isEqualTo(429);
        assertThat(TwirpException.httpStatusOf("failed_precondition")).isEqualTo(412);
        assertThat(TwirpException.httpStatusOf("canceled")).isEqualTo(408);
        assertThat(TwirpException.httpStatusOf("aborted")).isEqualTo(409);
        assertThat(TwirpException.httpStatusOf("unavailable")).isEqualTo(503);
    }

    @Test
    void enumNamesLoseTheirPrefixInTheMessage() {
        assertThat(SipStatuses.shortName(486)).isEqualTo("BUSY_HERE");
        assertThat(SipStatuses.enumName(603)).isEqualTo("SIP_STATUS_GLOBAL_DECLINE");
        assertThat(SipStatuses.shortName(499)).isEqualTo("499");
    }
}
