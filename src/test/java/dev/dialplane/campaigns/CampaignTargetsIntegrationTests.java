package dev.dialplane.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Appending targets to a campaign (JSON, and a CSV read as a stream), listing its contacts, and
 * its results as CSV: every row validated and numbered, duplicates reported, valid rows kept, the
 * contact limit, and a campaign that does not complete while targets are being appended.
 */
class CampaignTargetsIntegrationTests extends LiveKitIntegrationTest {

    private static final AtomicInteger CALLEES = new AtomicInteger();

    @Autowired
    CampaignTargets targets;

    @Autowired
    CampaignRepository repository;

    @Autowired
    CampaignDriver driver;

    /** A Los Angeles number no other test of this class uses. */
    private static String callee() {
        return "+1213555" + (1000 + CALLEES.getAndIncrement() % 9000);
    }

    private JsonNode campaign(Setup setup, List<String> numbers, Object... extra) {
        var request = body(
                "agent_id",
                setup.agentId(),
                "name",
                "Appended",
                "targets",
                numbers.stream().map(n -> Map.of("to_number", n)).toList(),
                "context",
                Map.of("offer", "gold"));
        request.putAll(body(extra));
        var created = setup.api().post("/campaigns", request);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return created.json();
    }

    /** A campaign that will not dial during the test: it starts in a day. */
    private JsonNode later(Setup setup, List<String> numbers) {
        return campaign(
                setup,
                numbers,
                "schedule_at",
                clock.instant().plus(Duration.ofDays(1)).toString());
    }

    private static String cid(JsonNode campaign) {
        return campaign.get("campaign_id").asString();
    }

    @Test
    void jsonTargetsAreNumberedAfterTheCampaignsAndEachRowIsReported() {
        var setup = newSetup();
        var first = callee();
        var created = later(setup, List.of(first));
        var added = callee();
        var withContext = callee();
        var response = setup.api()
                .post(
                        "/campaigns/" + cid(created) + "/targets",
                        Map.of(
                                "targets",
                                List.of(
                                        Map.of("to_number", added),
                                        Map.of("to_number", "2135550000"),
                                        Map.of("to_number", first),
                                        Map.of("to_number", withContext, "context", Map.of("name", "Ada")),
                                        Map.of("to_number", added))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var body = response.json();
        assertThat(body.get("rows").asInt()).isEqualTo(5);
        assertThat(body.get("added").asInt()).isEqualTo(2);
        assertThat(body.get("invalid").asInt()).isEqualTo(1);
        assertThat(body.get("duplicates").asInt()).isEqualTo(2);
        assertThat(body.get("total_targets").asInt()).isEqualTo(3);
        var errors = body.get("errors");
        assertThat(errors.size()).isEqualTo(3);
        assertThat(errors.get(0).get("row").asInt()).isEqualTo(1);
        assertThat(errors.get(0).get("detail").asString()).contains("E.164");
        assertThat(errors.get(1).get("row").asInt()).isEqualTo(4);
        assertThat(errors.get(1).get("detail").asString()).contains("earlier in this upload (row 0)");
        assertThat(errors.get(2).get("row").asInt()).isEqualTo(2);
        assertThat(errors.get(2).get("detail").asString()).contains("already", "contact 1");

        var contacts = setup.api()
                .get("/campaigns/" + cid(created) + "/contacts")
                .json()
                .get("data");
        assertThat(contacts.size()).isEqualTo(3);
        assertThat(contacts.get(1).get("row").asInt()).isEqualTo(2);
        assertThat(contacts.get(1).get("to_number").asString()).isEqualTo(added);
        assertThat(contacts.get(2).get("context").get("name").asString()).isEqualTo("Ada");
        // the campaign's own context is merged under each appended target's
        assertThat(contacts.get(2).get("context").get("offer").asString()).isEqualTo("gold");
        assertThat(contacts.get(2).get("status").asString()).isEqualTo("pending");
        assertThat(setup.api()
                        .get("/campaigns/" + cid(created))
                        .json()
                        .get("total_targets")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void aTenThousandRowCsvIsStoredAndPagedThrough() {
        var setup = newSetup();
        var created = later(setup, List.of(callee()));
        var csv = new StringBuilder("phone,first_name,plan\n");
        for (int i = 0; i < 10_000; i++) {
            csv.append("+1415555")
                    .append(String.format("%04d", i))
                    .append(",Name ")
                    .append(i)
                    .append(",p")
                    .append(i % 3)
                    .append('\n');
        }
        csv.append("not-a-number,Bad,p1\n\n");
        csv.append("+14155550007,Again,p2\n");
        var response = setup.api().send("POST", "/campaigns/" + cid(created) + "/targets", "text/csv", csv.toString());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var body = response.json();
        assertThat(body.get("rows").asInt()).isEqualTo(10_002);
        assertThat(body.get("added").asInt()).isEqualTo(10_000);
        assertThat(body.get("invalid").asInt()).isEqualTo(1);
        assertThat(body.get("duplicates").asInt()).isEqualTo(1);
        assertThat(body.get("total_targets").asInt()).isEqualTo(10_001);
        // CSV rows are named by their line: the header is line 1, the blank line 10,003 is skipped
        assertThat(body.get("errors").get(0).get("row").asInt()).isEqualTo(10_002);
        assertThat(body.get("errors").get(1).get("row").asInt()).isEqualTo(10_004);
        assertThat(body.get("errors").get(1).get("detail").asString()).contains("contact 9");

        var seen = 0;
        String cursor = null;
        JsonNode last = null;
        do {
            var page = setup.api()
                    .get("/campaigns/" + cid(created) + "/contacts?limit=500"
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            for (var contact : page.get("data")) {
                seen++;
                assertThat(contact.get("row").asInt()).isEqualTo(seen);
                last = contact;
            }
            cursor = page.get("next_cursor").isNull()
                    ? null
                    : page.get("next_cursor").asString();
        } while (cursor != null);
        assertThat(seen).isEqualTo(10_001);
        assertThat(last.get("to_number").asString()).isEqualTo("+14155559999");
        assertThat(last.get("context").get("first_name").asString()).isEqualTo("Name 9999");
        assertThat(last.get("context").get("plan").asString()).isEqualTo("p0");

        var results = setup.api().get("/campaigns/" + cid(created) + "/results.csv");
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.header("Content-Type")).startsWith("text/csv");
        var lines = results.text().split("\n");
        assertThat(lines).hasSize(10_002);
        assertThat(lines[0]).startsWith("row,to_number,from_number,status,attempts,last_call_id");
        assertThat(lines[10_001]).startsWith("10001,+14155559999,,pending,0,");
    }

    @Test
    void aCsvWithoutANumberColumnIsRefused() {
        var setup = newSetup();
        var created = later(setup, List.of(callee()));
        var path = "/campaigns/" + cid(created) + "/targets";
        var noColumn = setup.api().send("POST", path, "text/csv", "name,plan\nAda,gold\n");
        assertThat(noColumn.status()).isEqualTo(400);
        assertThat(noColumn.json().get("code").asString()).isEqualTo("MISSING_NUMBER_COLUMN");
        assertThat(noColumn.json().get("detail").asString()).contains("name, plan");
        var empty = setup.api().send("POST", path, "text/csv", "");
        assertThat(empty.status()).isEqualTo(400);

        assertThat(setup.api()
                        .get("/campaigns/" + cid(created) + "/contacts")
                        .json()
                        .get("data")
                        .size())
                .as("nothing refused is stored")
                .isEqualTo(1);
    }

    @Test
    void aCampaignHoldsAtMostItsLimitAndTheRowsBeforeItAreKept() {
        var setup = newSetup();
        var created = later(setup, List.of(callee(), callee()));
        targets.maxContacts(5);
        try {
            var csv = new StringBuilder("number\n");
            var numbers = new ArrayList<String>();
            for (int i = 0; i < 6; i++) {
                numbers.add(callee());
                csv.append(numbers.getLast()).append('\n');
            }
            var response =
                    setup.api().send("POST", "/campaigns/" + cid(created) + "/targets", "text/csv", csv.toString());
            assertThat(response.status()).as(response.text()).isEqualTo(413);
            assertThat(response.json().get("code").asString()).isEqualTo("CAMPAIGN_TOO_LARGE");
            assertThat(response.json().get("detail").asString()).contains("at most 5 contacts", "row 5 ");
            assertThat(setup.api()
                            .get("/campaigns/" + cid(created))
                            .json()
                            .get("total_targets")
                            .asInt())
                    .isEqualTo(5);
        } finally {
            targets.maxContacts(CampaignTargets.MAX_CONTACTS);
        }
    }

    @Test
    void appendedTargetsOfARunningCampaignAreCalled_andItDoesNotCompleteWhileAnUploadRuns() {
        var setup = newSetup();
        var first = callee();
        var created = campaign(setup, List.of(first));
        var campaignId = UUID.fromString(cid(created));
        // an upload is under way (its lease held) when the campaign's only call ends
        repository.holdIntake(campaignId, clock.instant().plus(Duration.ofMinutes(2)));
        var live = Awaitility.await().atMost(WAIT).until(() -> inProgress(setup), c -> c.size() == 1);
        hangUp(setup, live.getFirst());
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> setup.api()
                                .get("/campaigns/" + campaignId)
                                .json()
                                .get("contacts")
                                .get("completed")
                                .asInt()
                        == 1);
        driver.pass();
        assertThat(setup.api()
                        .get("/campaigns/" + campaignId)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("running");

        var appended = callee();
        var response = setup.api()
                .post(
                        "/campaigns/" + campaignId + "/targets",
                        Map.of("targets", List.of(Map.of("to_number", appended))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        hangUp(
                setup,
                Awaitility.await()
                        .atMost(WAIT)
                        .until(() -> inProgress(setup), c -> c.size() == 1)
                        .getFirst());
        var done = Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> setup.api().get("/campaigns/" + campaignId).json(),
                        c -> c.get("status").asString().equals("completed"));
        assertThat(done.get("calls_completed").asInt()).isEqualTo(2);

        // the results carry each contact's last call, its duration, cost and reported disposition
        var calls = setup.api().get("/calls?limit=10").json().get("data");
        var lastCall = calls.get(0).get("id").asString();
        var reported = setup.api().post("/calls/" + lastCall + "/outcome", Map.of("disposition", "interested"));
        assertThat(reported.status()).as(reported.text()).isEqualTo(200);
        var lines = setup.api()
                .get("/campaigns/" + campaignId + "/results.csv")
                .text()
                .split("\n");
        assertThat(lines).hasSize(3);
        var row = java.util.Arrays.stream(lines)
                .filter(l -> l.contains(lastCall))
                .findFirst()
                .orElseThrow();
        assertThat(row).contains(",completed,1,", "interested");

        // an ended campaign takes no more targets
        var refused = setup.api()
                .post(
                        "/campaigns/" + campaignId + "/targets",
                        Map.of("targets", List.of(Map.of("to_number", callee()))));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("CAMPAIGN_ENDED");
    }

    @Test
    void anotherOrganizationsCampaignIsNotFoundAndBadParametersAre400s() {
        var setup = newSetup();
        var created = later(setup, List.of(callee()));
        var other = newSetup();
        var path = "/campaigns/" + cid(created);
        assertThat(other.api()
                        .post(path + "/targets", Map.of("targets", List.of(Map.of("to_number", callee()))))
                        .status())
                .isEqualTo(404);
        assertThat(other.api()
                        .send("POST", path + "/targets", "text/csv", "phone\n" + callee() + "\n")
                        .status())
                .isEqualTo(404);
        assertThat(other.api().get(path + "/contacts").status()).isEqualTo(404);
        assertThat(other.api().get(path + "/results.csv").status()).isEqualTo(404);
        assertThat(setup.api().get(path + "/contacts?status=done").status()).isEqualTo(400);
        assertThat(setup.api().get(path + "/contacts?limit=501").status()).isEqualTo(400);
        assertThat(setup.api().get(path + "/contacts?cursor=abc").status()).isEqualTo(400);
        assertThat(setup.api()
                        .get(path + "/contacts?status=pending,failed")
                        .json()
                        .get("data")
                        .size())
                .isEqualTo(1);
        var empty = setup.api().post(path + "/targets", Map.of("targets", List.of()));
        assertThat(empty.status()).isEqualTo(422);
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

    private static void hangUp(Setup setup, JsonNode call) {
        var ended = setup.api().post("/calls/" + call.get("id").asString() + "/hangup");
        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
    }
}
