package dev.dialplane.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import dev.dialplane.support.TestDatabase;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A caller waiting on one node for a call that another node settles is answered as soon as that
 * node commits, not at the caller's deadline. "Another node" is a separate connection that
 * changes the call and notifies as a node does, so this node's own events play no part.
 * PostgreSQL only: H2 runs one node.
 */
class OutcomeNotificationsIntegrationTests extends LiveKitIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void onlyOnPostgres() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestDatabase.postgres(), "several nodes share PostgreSQL only");
    }

    @Test
    void aCallerWaitingHereIsAnsweredWhenAnotherNodeRecordsTheAnswer() throws Exception {
        var setup = newSetup();
        pauseTrunk(setup); // this node will not dial it: the other one does
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            // the caller would wait up to 80 s for the answer
            var waiting = executor.submit(() -> setup.api()
                    .post(
                            "/calls/outbound",
                            body(
                                    "agent_id",
                                    setup.agentId(),
                                    "to_number",
                                    "+12025550193",
                                    "wait_until_answered",
                                    true,
                                    "ringing_timeout_seconds",
                                    80)));
            var id = Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> callOf(setup), found -> !found.isEmpty())
                    .getFirst();

            try (var otherNode =
                    DriverManager.getConnection(TestDatabase.url(), TestDatabase.username(), TestDatabase.password())) {
                otherNode.setAutoCommit(false);
                try (var answer = otherNode.prepareStatement(
                                "update calls set status = 'in_progress', dialing_at = now(), answered_at = now() where id = ?");
                        var notify = otherNode.prepareStatement(
                                "select pg_notify('" + OutcomeNotifications.CHANNEL + "', ?)")) {
                    answer.setObject(1, id);
                    assertThat(answer.executeUpdate()).isEqualTo(1);
                    notify.setString(1, id.toString());
                    notify.execute();
                }
                otherNode.commit();
            }

            // answered long before its 80 s: WAIT is 20 s
            Api.Response response = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            assertThat(response.json().get("call_id").asString()).isEqualTo(id.toString());
            assertThat(response.json().get("status").asString()).isEqualTo("in_progress");
        }
    }

    @Test
    void aWaitedForCallsOutcomeIsAnnouncedWhenItsTransactionCommits() throws Exception {
        var setup = newSetup();
        try (var listener =
                DriverManager.getConnection(TestDatabase.url(), TestDatabase.username(), TestDatabase.password())) {
            listener.createStatement().execute("listen " + OutcomeNotifications.CHANNEL);

            var answered = answeredCall(setup, "+12025550194");

            var heard = new ArrayList<String>();
            var pg = listener.unwrap(PGConnection.class);
            Awaitility.await().atMost(WAIT).until(() -> {
                var notifications = pg.getNotifications(100);
                if (notifications != null) {
                    for (var notification : notifications) {
                        heard.add(notification.getParameter());
                    }
                }
                return heard.contains(answered.get("call_id").asString());
            });
        }
    }

    private List<UUID> callOf(Setup setup) {
        return jdbc.sql("select id from calls where organization_id = :org")
                .param("org", setup.org().id())
                .query(UUID.class)
                .list();
    }

    private static void pauseTrunk(Setup setup) {
        var response = setup.api().patch("/sip-trunks/" + setup.trunkId(), body("max_channels", 0));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }
}
