package dev.dialplane.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.orgs.CreditLow;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Per-second billing at the end of a call, reservations held by live calls, the ledger that always
 * sums to the balance, and credit.low.
 */
class BillingIntegrationTests extends LiveKitIntegrationTest {

    private static final String TO = "+12025550123";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConfigurableApplicationContext context;

    private final List<CreditLow> creditLows = new CopyOnWriteArrayList<>();
    private final ApplicationListener<PayloadApplicationEvent<CreditLow>> recorder =
            event -> creditLows.add(event.getPayload());

    @BeforeEach
    void recordCreditLow() {
        context.addApplicationListener(recorder);
    }

    @AfterEach
    void stopRecording() {
        context.getBean(ApplicationEventMulticaster.class).removeApplicationListener(recorder);
    }

    @Test
    void anAnsweredCallIsBilledPerSecondAtItsRate() {
        var setup = newSetup();
        var call = answeredCall(setup, TO);
        var id = call.get("id").asString();
        talkedFor(id, 95);

        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        deliverWebhooks();

        var ended = setup.api().get("/calls/" + id).json();
        var seconds = ended.get("duration_seconds").asLong();
        assertThat(seconds).isBetween(95L, 100L);
        var expected = new BigDecimal("0.10")
                .multiply(BigDecimal.valueOf(seconds))
                .divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP);
        assertThat(ended.get("cost").decimalValue()).isEqualByComparingTo(expected);

        var credits = setup.api().get("/credits").json();
        assertThat(credits.get("balance").decimalValue())
                .isEqualByComparingTo(new BigDecimal("100").subtract(expected));
        assertThat(credits.get("reserved").decimalValue()).isZero();
        var charge = credits.get("ledger").get("data").get(0);
        assertThat(charge.get("reason").asString()).isEqualTo("call_charge");
        assertThat(charge.get("call_id").asString()).isEqualTo(id);
        assertThat(charge.get("amount").decimalValue()).isEqualByComparingTo(expected.negate());
        assertLedgerExplainsBalance(setup.org().id());
    }

    @Test
    void unansweredCallsCostNothing() {
        var setup = newSetup();
        LIVEKIT.onDial(TO, DialScript.sipFailure(486, "Busy Here"));
        var busy = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", TO, "wait_until_answered", true))
                .json();
        var call = setup.api().get("/calls/" + busy.get("call_id").asString()).json();
        assertThat(call.get("cost").decimalValue()).isZero();
        assertThat(call.get("duration_seconds").asLong()).isZero();
        var credits = setup.api().get("/credits").json();
        assertThat(credits.get("balance").decimalValue()).isEqualByComparingTo("100");
        assertThat(credits.get("reserved").decimalValue()).isZero();
    }

    @Test
    void liveCallsHoldTheirWorstCaseAndNoMore() {
        // 10 credits, each call may last 300 s at 1.00 per minute: it holds 5 while live
        var setup = newSetup(10);
        rate(setup, "1.00");
        var first = LIVEKIT.onDial("+12025550131", DialScript.holdUntilReleased());
        var second = LIVEKIT.onDial("+12025550132", DialScript.holdUntilReleased());
        var a = place(setup, "+12025550131", 300);
        var b = place(setup, "+12025550132", 300);
        first.awaitDialed(WAIT);
        second.awaitDialed(WAIT);
        assertThat(setup.api().get("/credits").json().get("available").decimalValue())
                .isZero();

        var refused = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                "+12025550133",
                                "max_call_duration_seconds",
                                300));
        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.json().get("code").asString()).isEqualTo("INSUFFICIENT_CREDITS");
        assertThat(refused.json().get("detail").asString())
                .contains("holds 5 credits")
                .contains("0 are available");
        var shorter = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                "+12025550133",
                                "max_call_duration_seconds",
                                60));
        assertThat(shorter.status()).isEqualTo(402);

        first.fail(486, "Busy Here");
        awaitCall(setup.api(), a, "busy");
        assertThat(setup.api().get("/credits").json().get("available").decimalValue())
                .isEqualByComparingTo("5");
        second.fail(486, "Busy Here");
        awaitCall(setup.api(), b, "busy");
        assertThat(place(setup, "+12025550133", 300)).isNotBlank();
    }

    @Test
    void creditLowFiresOncePerCrossingAndRearmsOnTopUp() {
        // 12 credits, threshold 10, 6.00 per minute: a 30 s call costs 3
        var setup = newSetup(12);
        rate(setup, "6.00");
        completeCallLasting(setup, 30);
        completeCallLasting(setup, 30);
        assertThat(creditLows).hasSize(1);
        assertThat(creditLows.getFirst().organizationId()).isEqualTo(setup.org().id());
        assertThat(creditLows.getFirst().balance()).isEqualByComparingTo("9");
        assertThat(creditLows.getFirst().threshold()).isEqualByComparingTo("10");

        admin().post("/admin/organizations/" + setup.org().id() + "/credits", Map.of("amount", 6)); // 12: above again
        completeCallLasting(setup, 30); // 9: crosses a second time
        assertThat(creditLows).hasSize(2);
        assertLedgerExplainsBalance(setup.org().id());
    }

    @Test
    void aNewRateAppliesToCallsPlacedAfterIt() {
        var setup = newSetup();
        var before = answeredCall(setup, TO);
        rate(setup, "3.00");
        talkedFor(before.get("id").asString(), 60);
        LIVEKIT.hangUpByCallee(before.get("room_name").asString());
        deliverWebhooks();
        var charged = setup.api().get("/calls/" + before.get("id").asString()).json();
        // placed at 0.10 per minute: about 0.10 for its minute, not 3.00
        assertThat(charged.get("cost").decimalValue()).isLessThan(new BigDecimal("0.2"));
        assertThat(setup.api().get("/credits").json().get("rate_per_minute").decimalValue())
                .isEqualByComparingTo("3");
    }

    @Test
    void creditsShowTheBalanceAndAPagedLedger() {
        var setup = newSetup();
        admin().post("/admin/organizations/" + setup.org().id() + "/credits", Map.of("amount", 5));
        var credits = setup.api().get("/credits?limit=1").json();
        assertThat(credits.propertyNames())
                .containsExactly(
                        "balance", "reserved", "available", "rate_per_minute", "low_credit_threshold", "ledger");
        assertThat(credits.get("balance").decimalValue()).isEqualByComparingTo("105");
        assertThat(credits.get("ledger").get("data")).hasSize(1);
        assertThat(credits.get("ledger").get("data").get(0).get("reason").asString())
                .isEqualTo("credit_purchase");
        var next = setup.api()
                .get("/credits?limit=1&cursor="
                        + credits.get("ledger").get("next_cursor").asString())
                .json();
        assertThat(next.get("ledger").get("data").get(0).get("reason").asString())
                .isEqualTo("initial_credits");
        assertThat(setup.api().get("/credits?limit=0").status()).isEqualTo(400);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private void completeCallLasting(Setup setup, int seconds) {
        var call = answeredCall(setup, TO, "max_call_duration_seconds", 60);
        talkedFor(call.get("id").asString(), seconds);
        LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        deliverWebhooks();
        assertThat(setup.api()
                        .get("/calls/" + call.get("id").asString())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("completed");
    }

    private static String place(Setup setup, String to, int maxSeconds) {
        var response = setup.api()
                .post(
                        "/calls/outbound",
                        body("agent_id", setup.agentId(), "to_number", to, "max_call_duration_seconds", maxSeconds));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("call_id").asString();
    }

    private void rate(Setup setup, String rate) {
        var response = admin().patch(
                        "/admin/organizations/" + setup.org().id(), Map.of("rate_per_minute", new BigDecimal(rate)));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    /** Moves the answer back in time, as if the callee had talked that long (no waiting in tests). */
    private void talkedFor(String callId, int seconds) {
        jdbc.sql("update calls set answered_at = :at where id = :id")
                .param("at", OffsetDateTime.now().minusSeconds(seconds))
                .param("id", UUID.fromString(callId))
                .update();
    }

    void assertLedgerExplainsBalance(UUID organizationId) {
        var balance = jdbc.sql("select credits from organizations where id = :id")
                .param("id", organizationId)
                .query(BigDecimal.class)
                .single();
        var sum = jdbc.sql("select coalesce(sum(amount), 0) from credit_ledger where organization_id = :id")
                .param("id", organizationId)
                .query(BigDecimal.class)
                .single();
        assertThat(sum).isEqualByComparingTo(balance);
    }
}
