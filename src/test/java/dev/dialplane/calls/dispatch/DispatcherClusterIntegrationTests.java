package dev.dialplane.calls.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.calls.CallDialect;
import dev.dialplane.calls.CallLifecycle;
import dev.dialplane.calls.CallOptions;
import dev.dialplane.calls.CallPriority;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.PlaceCall;
import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.support.LiveKitIntegrationTest;
import dev.dialplane.support.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Several dispatchers on one database: every queued call is dialed exactly once (the fake LiveKit's
 * request log is the witness), priority order holds, and the calls a dispatcher had claimed when it
 * died are dialed once, by a survivor. PostgreSQL only: this is the multi-node claim path.
 */
class DispatcherClusterIntegrationTests extends LiveKitIntegrationTest {

    private static final int CALLS = 10_000;

    @Autowired
    CallDispatcher springDispatcher;

    @Autowired
    CallClaims claims;

    @Autowired
    dev.dialplane.compliance.CompliancePolicyService policies;

    @Autowired
    dev.dialplane.compliance.DoNotCallList doNotCall;

    @Autowired
    Dialer dialer;

    @Autowired
    CallLifecycle lifecycle;

    @Autowired
    CallService calls;

    @Autowired
    DispatchProperties properties;

    @Autowired
    Clock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    PlatformTransactionManager transactionManager;

    private final List<CallDispatcher> started = new ArrayList<>();

    @BeforeEach
    void onlyOnPostgres() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                TestDatabase.postgres(), "the multi-node claim path is tested on PostgreSQL");
        springDispatcher.stop(); // the test's own dispatchers are the cluster
    }

    @AfterEach
    void restore() {
        started.forEach(CallDispatcher::stop);
        springDispatcher.start();
    }

    @Test
    void twoDispatchersDialTenThousandQueuedCallsExactlyOnceInPriorityOrder() throws Exception {
        var setup = newSetup(0);
        admin().patch(
                        "/admin/organizations/" + setup.org().id(),
                        Map.of("rate_per_minute", 0, "max_concurrent_calls", 1_000_000));
        pauseTrunk(setup, true);
        var numbers = new ArrayList<String>();
        for (int i = 0; i < CALLS; i++) {
            var number = "+1415555" + String.format("%04d", i);
            numbers.add(number);
            LIVEKIT.onDial(
                    number, DialScript.sipFailure(486, "Busy Here")); // each call ends at once: no line stays busy
        }
        var priorities = CallPriority.values();
        var order = new ArrayList<Integer>();
        for (int i = 0; i < CALLS; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(7)); // priorities arrive interleaved, not sorted
        try (var executor = Executors.newFixedThreadPool(8)) {
            for (var i : order) {
                executor.submit(() -> calls.place(new PlaceCall(
                        new Tenant(setup.org().id()),
                        CallDialect.MRASSISTANT,
                        setup.agentId(),
                        numbers.get(i),
                        setup.fromNumber(),
                        priorities[i % priorities.length],
                        CallOptions.defaults(30).withoutWaiting(),
                        null,
                        false,
                        null,
                        null,
                        null)));
            }
        }
        assertThat(count(setup, "queued")).isEqualTo(CALLS);

        var a = dispatcher("node-a");
        var b = dispatcher("node-b");
        pauseTrunk(setup, false);
        a.start();
        b.start();
        Awaitility.await()
                .atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> count(setup, "busy") == CALLS);

        // the witness: LiveKit was asked to dial each room exactly once
        var dialsPerRoom = LIVEKIT.requests("SIP", "CreateSIPParticipant").stream()
                .map(r -> r.bodyAs(CreateSIPParticipantRequest.class).getRoomName())
                .collect(Collectors.groupingBy(room -> room, Collectors.counting()));
        var rooms = jdbc.sql("select room_name from calls where organization_id = :org")
                .param("org", setup.org().id())
                .query(String.class)
                .list();
        assertThat(rooms).hasSize(CALLS);
        assertThat(rooms)
                .allSatisfy(room -> assertThat(dialsPerRoom.get(room)).as(room).isEqualTo(1));
        // both nodes did part of the work
        var byNode = jdbc.sql(
                        "select claimed_by, count(*) as n from calls where organization_id = :org group by claimed_by")
                .param("org", setup.org().id())
                .query((rs, row) -> Map.entry(rs.getString("claimed_by"), rs.getLong("n")))
                .list();
        assertThat(byNode).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("node-a", "node-b");
        // priority order: every call of a higher priority was claimed no later than any call of a lower one
        var claimedAt = new HashMap<Integer, OffsetDateTime[]>();
        jdbc.sql(
                        "select priority_rank, min(dialing_at) as first, max(dialing_at) as last from calls where organization_id = :org group by priority_rank")
                .param("org", setup.org().id())
                .query((rs, row) -> claimedAt.put(rs.getInt("priority_rank"), new OffsetDateTime[] {
                    rs.getObject("first", OffsetDateTime.class), rs.getObject("last", OffsetDateTime.class)
                }))
                .list();
        for (int rank = 3; rank > 0; rank--) {
            assertThat(claimedAt.get(rank)[1])
                    .as("last claim of rank " + rank + " vs first of rank " + (rank - 1))
                    .isBeforeOrEqualTo(claimedAt.get(rank - 1)[0]);
        }
    }

    @Test
    void callsClaimedByADispatcherThatDiedAreDialedOnceByASurvivor() {
        var setup = newSetup(1000);
        pauseTrunk(setup, true);
        var ids = new ArrayList<String>();
        for (int i = 0; i < 40; i++) {
            var number = "+1415556" + String.format("%04d", i);
            LIVEKIT.onDial(number, DialScript.sipFailure(486, "Busy Here"));
            var placed = setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", number));
            assertThat(placed.status()).as(placed.text()).isEqualTo(200);
            ids.add(placed.json().get("call_id").asString());
        }
        pauseTrunk(setup, false);

        // a node claims every call, then dies before sending any dial (kill -9: no clean-up runs)
        var shortLease = new DispatchProperties(
                true,
                Duration.ofMillis(50),
                Duration.ofSeconds(1),
                50,
                3,
                Duration.ofMillis(200),
                Duration.ofMillis(20),
                Duration.ofMillis(250),
                Duration.ofHours(1),
                64,
                Duration.ofMinutes(2),
                "dead-node");
        var deadNodeClaims = new CallClaims(
                jdbc,
                lifecycle,
                transactions,
                transactionManager,
                shortLease,
                policies,
                doNotCall,
                clock,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        var claimed = deadNodeClaims.claim(setup.trunkId(), "dead-node", 50).claimed();
        assertThat(claimed).hasSize(40);
        assertThat(count(setup, "dialing")).isEqualTo(40);

        var survivor = dispatcher("survivor");
        survivor.start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count(setup, "busy") == 40);

        for (var id : ids) {
            var room = setup.api().get("/calls/" + id).json().get("room_name").asString();
            dialedOnce(room);
        }
        // the dead node, waking up late, may not dial what it no longer holds
        assertThat(deadNodeClaims.markDialSent(claimed.getFirst(), "dead-node", clock.instant()))
                .isFalse();
        var history =
                setup.api().get("/calls/" + ids.getFirst() + "/events").json().get("data");
        assertThat(history.valueStream().map(e -> e.get("cause").asString()))
                .anySatisfy(cause -> assertThat(cause).contains("claim expired before the dial was sent"));
    }

    private CallDispatcher dispatcher(String node) {
        var dispatcher = new CallDispatcher(
                claims,
                dialer,
                lifecycle,
                properties,
                clock,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                node);
        started.add(dispatcher);
        return dispatcher;
    }

    private void pauseTrunk(Setup setup, boolean paused) {
        var response = setup.api().patch("/sip-trunks/" + setup.trunkId(), body("max_channels", paused ? 0 : null));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private long count(Setup setup, String status) {
        return jdbc.sql("select count(*) from calls where organization_id = :org and status = :status")
                .param("org", setup.org().id())
                .param("status", status)
                .query(Long.class)
                .single();
    }
}
