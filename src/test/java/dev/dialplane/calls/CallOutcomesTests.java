package dev.dialplane.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialplane.common.ConfigurationProblem;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Where the agent is told to report: DIALPLANE_PUBLIC_URL, else this server on localhost. */
class CallOutcomesTests {

    private static final UUID CALL = UUID.fromString("6f1c8a52-3c1e-4b8e-9d0a-1f2e3d4c5b6a");

    private static CallOutcomes outcomes(MockEnvironment environment) {
        return new CallOutcomes(null, null, null, null, null, environment, Clock.systemUTC());
    }

    @Test
    void theConfiguredPublicUrlIsTheReportUrlsBase() {
        var environment = new MockEnvironment().withProperty("dialplane.public-url", "https://dp.example.com/api/");
        assertThat(outcomes(environment).reportUrl(CALL))
                .isEqualTo("https://dp.example.com/api/calls/" + CALL + "/outcome");
    }

    @Test
    void unsetItIsThisServerOnLocalhost() {
        var environment = new MockEnvironment()
                .withProperty("dialplane.public-url", "")
                .withProperty("server.port", "8080")
                .withProperty("local.server.port", "34567");
        assertThat(outcomes(environment).reportUrl(CALL))
                .isEqualTo("http://localhost:34567/calls/" + CALL + "/outcome");
        assertThat(outcomes(new MockEnvironment()).reportUrl(CALL))
                .isEqualTo("http://localhost:8080/calls/" + CALL + "/outcome");
    }

    @Test
    void aPublicUrlThatIsNoHttpUrlStopsTheStartWithTheFix() {
        for (var bad :
                new String[] {"dp.example.com", "ftp://dp.example.com", "https://", "https://x/?a=1", "http://a b"}) {
            assertThatThrownBy(() -> outcomes(new MockEnvironment().withProperty("dialplane.public-url", bad)))
                    .as(bad)
                    .isInstanceOf(ConfigurationProblem.class)
                    .hasMessageContaining("DIALPLANE_PUBLIC_URL");
        }
    }
}
