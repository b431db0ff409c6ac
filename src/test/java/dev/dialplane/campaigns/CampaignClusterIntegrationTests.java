package dev.dialplane.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.calls.CallService;
import dev.dialplane.common.E164;
import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.support.LiveKitIntegrationTest;
import dev.dialplane.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Several nodes' campaign drivers on one PostgreSQL database, one of them dying mid-campaign: the
 * fake LiveKit's request log is the witness that, for every contact, the calls dialed to its number
 * are exactly the attempts the campaign recorded.
 */
class CampaignClusterIntegrationTests extends LiveKitIntegrationTest {

    private static final int CONTACTS = 24;

    @Autowired
    CampaignDriver springDriver;

    @Autowired
    CampaignRepository repository;

    @Autowired
    CallService callService;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    CampaignsProperties properties;

    @Autowired
    JdbcClient jdbc;

    private final List<CampaignDriver> nodes = new ArrayList<>();

    @BeforeEach
    void onlyOnPostgres() {
        Assumptions.assumeTrue(TestDatabase.postgres(), "several nodes share a campaign on PostgreSQL");
        springDriver.stop(); // the test's own drivers are the cluster
    }

    @AfterEach
    void restore() {
        nodes.forEach(CampaignDriver::stop);
        springDriver.start();
    }

    @Test
    void aNodeDyingMidCampaignLosesNoContactAndDialsNobodyTwice() {
        var setup = newSetup(1000);
        var numbers = new ArrayList<String>();
        var busy = new HashSet<String>();
        for (int i = 0; i < CONTACTS; i++) {
            var number = "+1212556" + String.format("%04d", 1000 + i);
            numbers.add(number);
            if (i % 6 == 0) {
                LIVEKIT.onDial(number, DialScript.sipFailure(486, "Busy Here"));
                busy.add(number);
            }
        }
        var created = setup.api()
                .post(
                        "/campaigns",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "name",
                                "Cluster",
                                "targets",
                                numbers.stream()
                                        .map(n -> Map.of("to_number", n))
                                        .toList(),
                                "concurrent_calls",
                                6,
                                "retry_failed",
                                true,
                                "retry_attempts",
                                1));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        var campaignId = UUID.fromString(created.json().get("campaign_id").asString());

        // a node dies mid-pass, as under kill -9: it marked three contacts calling, stored the call of
        // one (which the dispatcher dials), and never recorded that call on its contact
        var campaign = repository.byId(campaignId).orElseThrow();
        var taken = transactions.execute(tx -> {
            var due = repository.due(campaignId, clock.instant(), 3);
            due.forEach(contact -> repository.markCalling(contact.id(), clock.instant()));
            return due;
        });
        assertThat(taken).hasSize(3);
        // its contacts count as stranded once their marking is older than stranded-after; the clock
        // moves before any call is in flight (a jump past the dispatcher's lease would stand for a
        // node stalled mid-dial, another test's subject)
        setClock(clock.instant().plus(properties.strandedAfter()).plusSeconds(1));
        var orphan = callService.place(CampaignDriver.request(campaign, taken.get(1), 1));

        var first = driver("node-a");
        var second = driver("node-b");
        first.start();
        second.start();

        var stopped = false;
        var deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!status(setup, campaignId).equals("completed")) {
            assertThat(System.nanoTime()).as("the campaign completes").isLessThan(deadline);
            var live = Awaitility.await().atMost(WAIT).until(() -> inProgressOrIdle(setup, campaignId), r -> r != null);
            for (var callId : live) {
                var ended = setup.api().post("/calls/" + callId + "/hangup");
                assertThat(ended.status()).as(ended.text()).isIn(200, 409);
            }
            if (!stopped && completedContacts(campaignId) >= CONTACTS / 2) {
                first.stop(); // mid-campaign: the other node carries on alone
                stopped = true;
            }
            if (live.isEmpty() && calling(campaignId) == 0) {
                // only retries wait: their time comes
                setClock(clock.instant().plus(Duration.ofMinutes(6)));
            }
        }
        assertThat(stopped).isTrue();

        var orphanRoom = orphan.roomName();
        assertThat(LIVEKIT.requests("SIP", "CreateSIPParticipant").stream()
                        .filter(r -> r.body() != null && r.body().toString().contains(orphanRoom))
                        .count())
                .as("the call the dead node stored is dialed once and adopted, not placed again: "
                        + setup.api().get("/calls/" + orphan.id() + "/events").text())
                .isEqualTo(1);
        var rows = jdbc.sql("select to_number, attempts, status from campaign_contacts where campaign_id = :c")
                .param("c", campaignId)
                .query((rs, i) ->
                        Map.entry(rs.getString("to_number"), rs.getInt("attempts") + ":" + rs.getString("status")))
                .list();
        assertThat(rows).hasSize(CONTACTS);
        for (var row : rows) {
            var number = row.getKey();
            var attempts = Integer.parseInt(row.getValue().split(":")[0]);
            var status = row.getValue().split(":")[1];
            assertThat(dials(setup, number))
                    .as("dials of " + number + " (" + row.getValue() + ")")
                    .isEqualTo(attempts);
            if (busy.contains(number)) {
                assertThat(attempts)
                        .as(number + " busy: first call and its one retry")
                        .isEqualTo(2);
                assertThat(status).isEqualTo("failed");
            } else {
                assertThat(attempts).as(number).isEqualTo(1);
                assertThat(status).isEqualTo("completed");
            }
        }
    }

    private CampaignDriver driver(String node) {
        var driver = springDriver.asNode(node);
        nodes.add(driver);
        return driver;
    }

    private String status(Setup setup, UUID campaignId) {
        return setup.api().get("/campaigns/" + campaignId).json().get("status").asString();
    }

    /** The campaign's calls in progress, or an empty list once none is live and none is about to be. */
    private List<String> inProgressOrIdle(Setup setup, UUID campaignId) {
        var page = setup.api().get("/calls?status=in_progress&limit=200").json().get("data");
        var ids = new ArrayList<String>();
        page.valueStream().forEach(call -> ids.add(call.get("id").asString()));
        if (!ids.isEmpty()) {
            return ids;
        }
        var pendingNow = jdbc.sql("""
                        select count(*) from campaign_contacts
                        where campaign_id = :c and status = 'pending' and (next_attempt_at is null or next_attempt_at <= :now)""")
                .param("c", campaignId)
                .param("now", dev.dialplane.common.Jdbc.utc(clock.instant()))
                .query(Long.class)
                .single();
        return calling(campaignId) == 0 && pendingNow == 0 ? ids : null;
    }

    private long calling(UUID campaignId) {
        return jdbc.sql("select count(*) from campaign_contacts where campaign_id = :c and status = 'calling'")
                .param("c", campaignId)
                .query(Long.class)
                .single();
    }

    private long completedContacts(UUID campaignId) {
        return jdbc.sql("select count(*) from campaign_contacts where campaign_id = :c and status = 'completed'")
                .param("c", campaignId)
                .query(Long.class)
                .single();
    }

    private static long dials(Setup setup, String number) {
        return LIVEKIT.requests("SIP", "CreateSIPParticipant").stream()
                .filter(r -> r.body() != null
                        && r.body()
                                .toString()
                                .contains("outbound_" + setup.agentId() + "_" + E164.digits(number) + "_"))
                .count();
    }
}
