package dev.dialplane.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Many calls of one organization ending at the same moment, and many placements racing for its
 * last credits: the ledger still sums to the balance, each call is charged once, and live calls
 * never hold more than the balance.
 */
class BillingConcurrencyIntegrationTests extends LiveKitIntegrationTest {

    private static final int CALLS = 40;

    @Autowired
    JdbcClient jdbc;

    @Test
    void manyCallsEndingAtOnceKeepTheLedgerEqualToTheBalance() throws Exception {
        var setup = newSetup(1000);
        var calls = new ArrayList<String>();
        for (int i = 0; i < CALLS; i++) {
            var call = answeredCall(setup, "+1202555" + (1200 + i), "max_call_duration_seconds", 600);
            calls.add(call.get("id").asString());
            jdbc.sql("update calls set answered_at = :at where id = :id")
                    .param("at", OffsetDateTime.now().minusSeconds(10 + i * 7))
                    .param("id", UUID.fromString(call.get("id").asString()))
                    .update();
            LIVEKIT.hangUpByCallee(call.get("room_name").asString());
        }
        var endings = LIVEKIT.webhooks().pending().stream()
                .filter(e ->
                        e.getEvent().equals("participant_left") || e.getEvent().equals("room_finished"))
                .toList();
        LIVEKIT.webhooks().deliverAll(); // anything else (joins) first, so only the endings race below

        var statuses = concurrently(endings.stream()
                .map(event -> (Callable<Integer>) () -> LIVEKIT.webhooks().deliver(event))
                .toList());

        assertThat(statuses).containsOnly(200);
        var costs = BigDecimal.ZERO;
        for (var id : calls) {
            var call = setup.api().get("/calls/" + id).json();
            assertThat(call.get("status").asString()).isEqualTo("completed");
            costs = costs.add(call.get("cost").decimalValue());
            var charges = jdbc.sql("select count(*) from credit_ledger where call_id = :id")
                    .param("id", UUID.fromString(id))
                    .query(Long.class)
                    .single();
            assertThat(charges).as("charges of call " + id).isEqualTo(1);
        }
        var credits = setup.api().get("/credits").json();
        assertThat(credits.get("balance").decimalValue()).isEqualByComparingTo(new BigDecimal("1000").subtract(costs));
        assertThat(credits.get("reserved").decimalValue()).isZero();
        assertThat(ledgerSum(setup.org().id()))
                .isEqualByComparingTo(credits.get("balance").decimalValue());
    }

    @Test
    void placementsRacingForTheLastCreditsNeverHoldMoreThanTheBalance() throws Exception {
        // 10 credits; each call may last 60 s at 0.10 per minute and holds 0.1: room for exactly 100
        var setup = newSetup(10);
        var attempts = 130;
        var results = concurrently(java.util.stream.IntStream.range(0, attempts)
                .mapToObj(i -> (Callable<Api.Response>) () -> setup.api()
                        .post(
                                "/calls/outbound",
                                body(
                                        "agent_id",
                                        setup.agentId(),
                                        "to_number",
                                        "+1202555" + (2000 + i),
                                        "max_call_duration_seconds",
                                        60)))
                .toList());

        var placed = results.stream().filter(r -> r.status() == 200).count();
        var refused = results.stream().filter(r -> r.status() == 402).count();
        assertThat(placed + refused)
                .as(results.stream()
                        .filter(r -> r.status() != 200 && r.status() != 402)
                        .toList()
                        .toString())
                .isEqualTo(attempts);
        assertThat(placed).isEqualTo(100);
        var credits = setup.api().get("/credits").json();
        assertThat(credits.get("reserved").decimalValue()).isEqualByComparingTo("10");
        assertThat(credits.get("available").decimalValue()).isZero();
        var held = jdbc.sql(
                        "select coalesce(sum(reserved_credits), 0) from calls where organization_id = :org and status not in ('completed', 'busy', 'no_answer', 'failed', 'canceled')")
                .param("org", setup.org().id())
                .query(BigDecimal.class)
                .single();
        assertThat(held).isEqualByComparingTo("10");
        assertThat(ledgerSum(setup.org().id()))
                .isEqualByComparingTo(credits.get("balance").decimalValue());
    }

    private BigDecimal ledgerSum(UUID organizationId) {
        return jdbc.sql("select coalesce(sum(amount), 0) from credit_ledger where organization_id = :id")
                .param("id", organizationId)
                .query(BigDecimal.class)
                .single();
    }

    /** Runs every task at the same moment (after a common start signal) and returns their results. */
    private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        var start = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<T>>();
            for (var task : tasks) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            var results = new ArrayList<T>();
            for (var future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
