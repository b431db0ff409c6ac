package dev.dialplane.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.common.ApiException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** Errors that filters write (outside the MVC advice) tell the client when to come back, in both dialects. */
class ErrorBodiesRetryAfterTests {

    private final ErrorBodies errors = new ErrorBodies(JsonMapper.builder().build());

    @Test
    void aFilterErrorWithARetryDelayCarriesRetryAfterInWholeSeconds() throws Exception {
        var error =
                ApiException.conflict("IDEMPOTENCY_KEY_IN_USE", "still running").retryAfter(Duration.ofMillis(4_200));

        for (var path : new String[] {"/calls/outbound", "/telephony/outbound-call"}) {
            var response = new MockHttpServletResponse();
            errors.write(new MockHttpServletRequest("POST", path), response, error);

            assertThat(response.getStatus()).isEqualTo(409);
            assertThat(response.getHeader("Retry-After")).as(path).isEqualTo("5");
            assertThat(response.getContentAsString()).contains("IDEMPOTENCY_KEY_IN_USE");
        }
    }

    @Test
    void anErrorWithoutARetryDelayHasNoRetryAfter() throws Exception {
        var response = new MockHttpServletResponse();
        errors.write(
                new MockHttpServletRequest("POST", "/calls/outbound"),
                response,
                ApiException.badRequest("INVALID_IDEMPOTENCY_KEY", "bad key"));

        assertThat(response.getHeader("Retry-After")).isNull();
    }

    @Test
    void aDelayUnderASecondIsRoundedUpNotToZero() {
        assertThat(ErrorBodies.retryAfter(Duration.ofMillis(1))).isEqualTo("1");
        assertThat(ErrorBodies.retryAfter(Duration.ofSeconds(5))).isEqualTo("5");
    }
}
