package dev.dialplane.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * Metrics (which name trunks and organizations' traffic) are not for the API's clients: actuator
 * answers on the management port, and the main port keeps only the load balancer's probes.
 */
class ManagementEndpointsIntegrationTests extends LiveKitIntegrationTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void theMainPortServesNoMetricsAndNoActuator() {
        assertThat(managementPort).isNotEqualTo(port);
        for (var path : new String[] {"/actuator/prometheus", "/actuator", "/actuator/health", "/actuator/info"}) {
            var response = anonymous().get(path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.text()).as(path).doesNotContain("dialplane_dials_started_total", "jvm_");
        }
    }

    @Test
    void theMainPortAnswersTheLoadBalancersProbesWithoutAKey() {
        for (var path : new String[] {"/livez", "/readyz"}) {
            var response = anonymous().get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.json().get("status").asString()).as(path).isEqualTo("UP");
        }
    }

    @Test
    void theManagementPortServesHealthAndPrometheus() {
        var management = Api.unchecked(managementPort);

        var health = management.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);
        var metrics = management.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("dialplane_queue_depth", "jvm_memory_used_bytes");
    }
}
