package dev.dialplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialplane.common.ConfigurationProblem;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Mistakes an operator can make at start-up stop Dialplane with a report saying what to do. */
@ExtendWith(OutputCaptureExtension.class)
class StartupConfigurationTests {

    @Test
    void partialLiveKitSettingsAreRefused(CapturedOutput output) {
        assertThatThrownBy(() -> start(
                        "--dialplane.livekit.url=https://example.livekit.cloud", "--dialplane.livekit.api-key=APIxyz"))
                .rootCause()
                .isInstanceOf(ConfigurationProblem.class)
                .hasMessage("LiveKit is only partly configured: LIVEKIT_API_SECRET not set.");
        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains("Set all of LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET");
    }

    @Test
    void liveKitModeNeedsAMasterKey(CapturedOutput output) {
        assertThatThrownBy(() -> start(
                        "--dialplane.livekit.url=https://example.livekit.cloud",
                        "--dialplane.livekit.api-key=APIxyz",
                        "--dialplane.livekit.api-secret=not-printed-anywhere",
                        "--dialplane.secrets.master-key="))
                .rootCause()
                .isInstanceOf(ConfigurationProblem.class)
                .hasMessageStartingWith("DIALPLANE_MASTER_KEY is not set.");
        assertThat(output.getAll()).contains("openssl rand -base64 32").doesNotContain("not-printed-anywhere");
    }

    private static void start(String... args) {
        var all = new String[args.length + 2];
        all[0] = "--spring.datasource.url=jdbc:h2:mem:startup-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        all[1] = "--server.port=0";
        System.arraycopy(args, 0, all, 2, args.length);
        new SpringApplicationBuilder(DialplaneApplication.class)
                .web(WebApplicationType.NONE)
                .run(all)
                .close();
    }
}
