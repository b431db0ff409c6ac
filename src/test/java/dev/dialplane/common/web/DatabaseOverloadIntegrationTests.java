package dev.dialplane.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.TestDatabase;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A saturated database (every pooled connection busy: this test holds them) is a temporary condition: clients get a 503
 * they can retry, in either dialect, never a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseOverloadIntegrationTests {

    // its own: its sandbox seed is encrypted under its own key file, which no other context has
    private static final String DATABASE = TestDatabase.isolatedUrl();
    private static final String KEY = "dp_sandbox_demo_key_0000000000000000000000";

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void smallPool(DynamicPropertyRegistry registry) throws Exception {
        var keyFile = Files.createTempDirectory("dialplane-overload").resolve("master.key");
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", TestDatabase::username);
        registry.add("spring.datasource.password", TestDatabase::password);
        // two: Flyway needs a second connection at start-up
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "2");
        registry.add("spring.datasource.hikari.connection-timeout", () -> "250");
        registry.add("dialplane.livekit.url", () -> "");
        registry.add("dialplane.livekit.api-key", () -> "");
        registry.add("dialplane.livekit.api-secret", () -> "");
        registry.add("dialplane.secrets.master-key", () -> "");
        registry.add("dialplane.secrets.sandbox-key-file", keyFile::toString);
        registry.add("dialplane.dispatch.enabled", () -> "false");
    }

    @Test
    void aRequestThatGetsNoConnectionIsA503WithRetryAfter() throws Exception {
        var api = Api.at(port).withKey(KEY);
        assertThat(api.get("/agents").status()).isEqualTo(200);
        try (var one = dataSource.getConnection();
                var two = dataSource.getConnection()) {
            var response = api.get("/agents");
            assertThat(response.status()).as(response.text()).isEqualTo(503);
            assertThat(response.header("Retry-After")).isEqualTo("1");
            assertThat(response.json().get("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(response.text()).doesNotContain("Hikari", "Exception", "jdbc");

            var talkifai = api.post("/telephony/outbound-call?to_number=%2B12025550123&from_number=%2B12025550100");
            assertThat(talkifai.status()).isEqualTo(503);
            assertThat(talkifai.json().get("success").asBoolean()).isFalse();
            assertThat(talkifai.json().get("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(talkifai.header("Retry-After")).isEqualTo("1");

            // the Idempotency-Key filter reads the database before Spring MVC (and its advice) runs
            var idempotent = api.withHeader("Idempotency-Key", "overload-1")
                    .post(
                            "/calls/outbound",
                            java.util.Map.of(
                                    "agent_id", "00000000-0000-4000-8000-000000000010", "to_number", "+12025550123"));
            assertThat(idempotent.status()).as(idempotent.text()).isEqualTo(503);
            assertThat(idempotent.header("Retry-After")).isEqualTo("1");
            assertThat(idempotent.json().get("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
            var idempotentTalkifai = api.withHeader("Idempotency-Key", "overload-2")
                    .post("/telephony/outbound-call?to_number=%2B12025550123&from_number=%2B12025550100");
            assertThat(idempotentTalkifai.status())
                    .as(idempotentTalkifai.text())
                    .isEqualTo(503);
            assertThat(idempotentTalkifai.json().get("success").asBoolean()).isFalse();
            assertThat(idempotentTalkifai.header("Retry-After")).isEqualTo("1");
        }
        assertThat(api.get("/agents").status()).isEqualTo(200);
    }
}
