package dev.dialplane.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.common.E164;
import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A campaign's retry policy on the settable clock: the outcomes it calls again (voicemail as the
 * agent reported it, before or after the call ended), its own delays, and what it never retries.
 */
class CampaignRetryIntegrationTests extends LiveKitIntegrationTest {

    private static final AtomicInteger CALLEES = new AtomicInteger();

    @Autowired
    CampaignDriver driver;

    @Autowired
    JdbcClient jdbc;

    /** A Chicago number no other test of this class uses. */
    private static String callee() {
        return "+1312555" + (1000 + CALLEES.getAndIncrement() % 9000);
    }

    private static JsonNode create(Setup setup, List<String> numbers, Object... extra) {
        var request = body(
                "agent_id",
                setup.agentId(),
                "name",
                "Retries",
                "targets",
                numbers.stream().map(n -> Map.of("to_number", n)).toList());
        request.putAll(body(extra));
        var created = setup.api().post("/campaigns", request);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return created.json();
    }

    private static List<JsonNode> inProgress(Setup setup) {
        var out = new ArrayList<JsonNode>();
        setup.api()
                .get("/calls?status=in_progress&limit=50")
                .json()
                .get("data")
                .valueStream()
                .forEach(out::add);
        return out;
    }

    private static JsonNode liveCallTo(Setup setup, String number) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> inProgress(setup).stream()
                                .filter(c -> c.get("to_number").asString().equals(number))
                                .findFirst()
                                .orElse(null),
                        c -> c != null);
    }

    private static void hangUp(Setup setup, JsonNode call) {
        var ended = setup.api().post("/calls/" + call.get("id").asString() + "/hangup");
        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
    }

    private static void report(Setup setup, JsonNode call, String answeredBy) {
        var reported =
                setup.api().post("/calls/" + call.get("id").asString() + "/outcome", Map.of("answered_by", answeredBy));
        assertThat(reported.status()).as(reported.text()).isEqualTo(200);
    }

    private static long dials(Setup setup, String number) {
        return LIVEKIT.requests("SIP", "CreateSIPParticipant").stream()
                .filter(r -> r.body() != null
                        && r.body()
                                .toString()
                                .contains("outbound_" + setup.agentId() + "_" + E164.digits(number) + "_"))
                .count();
    }

    private String status(JsonNode created, String number) {
        return ContactRows.status(jdbc, created, number);
    }

    private Instant nextAttemptAt(JsonNode created, String number) {
        return ContactRows.nextAttemptAt(jdbc, created, number);
    }

    @Test
    void voicemailReportedBeforeTheEndIsCalledAgainAfterTheCampaignsDelay_andAHumanIsNot() {
        var setup = newSetup();
        var voicemail = callee();
        var human = callee();
        var created = create(
                setup,
                List.of(voicemail, human),
                "concurrent_calls",
                2,
                "retry_failed",
                true,
                "retry_attempts",
                1,
                "retry_policy",
                Map.of("on", List.of("machine_voicemail"), "delays_minutes", List.of(10)));
        assertThat(created.get("retry_policy").get("on").get(0).asString()).isEqualTo("machine_voicemail");
        assertThat(created.get("retry_policy").get("delays_minutes").get(0).asInt())
                .isEqualTo(10);

        var first = liveCallTo(setup, voicemail);
        var other = liveCallTo(setup, human);
        report(setup, first, "machine_voicemail");
        report(setup, other, "human");
        var before = clock.instant();
        hangUp(setup, first);
        hangUp(setup, other);
        Awaitility.await().atMost(WAIT).until(() -> status(created, voicemail).equals("pending"));
        assertThat(nextAttemptAt(created, voicemail))
                .isBetween(before.plus(Duration.ofMinutes(10)), clock.instant().plus(Duration.ofMinutes(10)));
        Awaitility.await().atMost(WAIT).until(() -> status(created, human).equals("completed"));

        setClock(nextAttemptAt(created, voicemail).plusSeconds(1));
        hangUp(setup, liveCallTo(setup, voicemail));
        Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> setup.api()
                                .get("/campaigns/" + created.get("campaign_id").asString())
                                .json(),
                        c -> c.get("status").asString().equals("completed"));
        assertThat(dials(setup, voicemail)).isEqualTo(2);
        assertThat(dials(setup, human)).isEqualTo(1);
    }

    @Test
    void voicemailReportedAfterTheEndReopensTheContactWhileTheCampaignRuns() {
        var setup = newSetup();
        var voicemail = callee();
        var next = callee();
        var created = create(
                setup,
                List.of(voicemail, next),
                "retry_failed",
                true,
                "retry_attempts",
                2,
                "retry_policy",
                Map.of("on", List.of("busy", "machine_voicemail")));
        var first = liveCallTo(setup, voicemail);
        hangUp(setup, first);
        Awaitility.await().atMost(WAIT).until(() -> status(created, voicemail).equals("completed"));
        var second = liveCallTo(setup, next);

        // the agent's report arrives after the call ended: the default delays apply (5 minutes first)
        var reportedAt = clock.instant();
        report(setup, first, "machine_voicemail");
        Awaitility.await().atMost(WAIT).until(() -> status(created, voicemail).equals("pending"));
        assertThat(nextAttemptAt(created, voicemail))
                .isBetween(
                        reportedAt.plus(Duration.ofMinutes(5)), clock.instant().plus(Duration.ofMinutes(5)));
        hangUp(setup, second);

        setClock(nextAttemptAt(created, voicemail).plusSeconds(1));
        hangUp(setup, liveCallTo(setup, voicemail));
        Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> setup.api()
                                .get("/campaigns/" + created.get("campaign_id").asString())
                                .json(),
                        c -> c.get("status").asString().equals("completed"));
        assertThat(dials(setup, voicemail)).isEqualTo(2);
    }

    @Test
    void theCampaignsOwnDelaysRepeatTheLast_andOutcomesItDoesNotNameAreNotRetried() {
        var setup = newSetup();
        var busy = callee();
        var unanswered = callee();
        LIVEKIT.onDial(busy, DialScript.sipFailure(486, "Busy Here"));
        LIVEKIT.onDial(unanswered, DialScript.ringingTimeout());
        var created = create(
                setup,
                List.of(busy, unanswered),
                "concurrent_calls",
                2,
                "retry_failed",
                true,
                "retry_attempts",
                3,
                "retry_policy",
                Map.of("on", List.of("busy"), "delays_minutes", List.of(1, 2)));
        Awaitility.await().atMost(WAIT).until(() -> status(created, unanswered).equals("failed"));
        var waits = new ArrayList<Duration>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            final var expected = attempt;
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> dials(setup, busy) == expected
                            && status(created, busy).equals("pending"));
            var retryAt = nextAttemptAt(created, busy);
            waits.add(Duration.between(clock.instant(), retryAt));
            driver.pass();
            assertThat(dials(setup, busy)).as("not before its time").isEqualTo(attempt);
            setClock(retryAt.plusSeconds(1));
        }
        Awaitility.await().atMost(WAIT).until(() -> status(created, busy).equals("failed"));
        assertThat(dials(setup, busy)).isEqualTo(4);
        assertThat(dials(setup, unanswered)).isEqualTo(1);
        // 1 minute after the first attempt, then 2 after each later one (less the few ms since it ended)
        assertThat(waits.get(0)).isBetween(Duration.ofSeconds(50), Duration.ofMinutes(1));
        assertThat(waits.get(1)).isBetween(Duration.ofSeconds(110), Duration.ofMinutes(2));
        assertThat(waits.get(2)).isBetween(Duration.ofSeconds(110), Duration.ofMinutes(2));
    }

    @Test
    void aPolicyNamingWhatIsNeverRetriedIsRefused() {
        var setup = newSetup();
        var refused = setup.api()
                .post(
                        "/campaigns",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "name",
                                "Bad policy",
                                "targets",
                                List.of(Map.of("to_number", callee())),
                                "retry_policy",
                                Map.of("on", List.of("declined"), "delays_minutes", List.of(0, 20_000))));
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.text()).contains("retry_policy", "declined", "delays_minutes", "never retried");
        var empty = setup.api()
                .post(
                        "/campaigns",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "name",
                                "Bad policy",
                                "targets",
                                List.of(Map.of("to_number", callee())),
                                "retry_policy",
                                Map.of("delays_minutes", List.of())));
        assertThat(empty.status()).as(empty.text()).isEqualTo(422);
    }
}
