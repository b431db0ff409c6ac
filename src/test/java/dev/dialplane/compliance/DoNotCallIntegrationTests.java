package dev.dialplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The do-not-call list end to end: its API and CSV import, calls to listed numbers refused in both
 * dialects and never dialed, queued calls canceled when their number is listed, and every
 * organization with a list of its own.
 */
class DoNotCallIntegrationTests extends LiveKitIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    DoNotCallList doNotCall;

    private static final String ADA = "+12125550123";
    private static final String GRACE = "+12125550124";

    private static Api.Response add(Api api, Object... numbersThenReason) {
        var numbers = new ArrayList<String>();
        String reason = null;
        for (var value : numbersThenReason) {
            if (((String) value).startsWith("+")) {
                numbers.add((String) value);
            } else {
                reason = (String) value;
            }
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("numbers", numbers);
        if (reason != null) {
            body.put("reason", reason);
        }
        return api.post("/dnc", body);
    }

    private static Api.Response importCsv(Api api, String csv) {
        return api.send("POST", "/dnc/import", "text/csv", csv);
    }

    private static List<String> numbers(JsonNode page) {
        return page.get("data")
                .valueStream()
                .map(e -> e.get("number").asString())
                .toList();
    }

    private static Api.Response call(Setup setup, String to) {
        return setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", to));
    }

    private static void dncEnforced(Api api, boolean enforced) {
        var response = api.put("/compliance-policy", Map.of("dnc_enforced", enforced));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static void pauseTrunk(Setup setup) {
        var paused = setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", 0));
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
    }

    private static void openTrunk(Setup setup) {
        var open = setup.api().patch("/sip-trunks/" + setup.trunkId(), body("max_channels", null));
        assertThat(open.status()).as(open.text()).isEqualTo(200);
    }

    @Test
    void numbersAreAddedListedFoundAndRemoved() {
        var api = newOrganization().api();
        var added = add(api, ADA, GRACE, "asked not to be called");
        assertThat(added.status()).as(added.text()).isEqualTo(200);
        assertThat(added.json().get("added").asInt()).isEqualTo(2);
        assertThat(added.json().get("already_listed").asInt()).isZero();
        var entries = added.json().get("entries");
        assertThat(entries.valueStream().map(e -> e.get("number").asString())).containsExactly(ADA, GRACE);
        assertThat(entries.get(0).get("reason").asString()).isEqualTo("asked not to be called");
        assertThat(entries.get(0).get("source").asString()).isEqualTo("api");
        assertThat(entries.get(0).get("created_at").asString()).isNotBlank();

        var all = api.get("/dnc").json();
        assertThat(numbers(all)).containsExactlyInAnyOrder(ADA, GRACE);
        var first = api.get("/dnc?limit=1").json();
        assertThat(first.get("has_more").asBoolean()).isTrue();
        var second = api.get("/dnc?limit=1&cursor=" + first.get("next_cursor").asString())
                .json();
        assertThat(second.get("has_more").asBoolean()).isFalse();
        assertThat(List.of(numbers(first).getFirst(), numbers(second).getFirst()))
                .containsExactlyInAnyOrder(ADA, GRACE);

        assertThat(numbers(api.get("/dnc?number=" + query(ADA)).json())).containsExactly(ADA);
        assertThat(numbers(api.get("/dnc?number=" + ADA).json()))
                .as("an unencoded '+' arrives as a space and is read as the '+' it was")
                .containsExactly(ADA);
        assertThat(numbers(api.get("/dnc?number=" + query("+12125550199")).json()))
                .as("a number not listed: an empty page")
                .isEmpty();
        var bad = api.get("/dnc?number=12125550123");
        assertThat(bad.status()).as(bad.text()).isEqualTo(400);
        assertThat(bad.json().get("code").asString()).isEqualTo("INVALID_PARAMETER");

        assertThat(api.delete("/dnc/" + query(ADA)).status()).isEqualTo(204);
        var again = api.delete("/dnc/" + query(ADA));
        assertThat(again.status()).as(again.text()).isEqualTo(404);
        assertThat(again.json().get("code").asString()).isEqualTo("DNC_ENTRY_NOT_FOUND");
        assertThat(numbers(api.get("/dnc").json())).containsExactly(GRACE);
        assertThat(api.delete("/dnc/+12125550124").status())
                .as("a literal '+' in the path")
                .isEqualTo(204);
        assertThat(numbers(api.get("/dnc").json())).isEmpty();
    }

    @Test
    void addingAListedNumberAgainIsNotAnErrorAndKeepsItsEntry() {
        var api = newOrganization().api();
        add(api, ADA, "first");
        var again = add(api, ADA, GRACE, GRACE, "second");
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.json().get("added").asInt()).isEqualTo(1);
        assertThat(again.json().get("already_listed").asInt())
                .as("Ada was listed; Grace was sent twice")
                .isEqualTo(2);
        var entries = again.json().get("entries");
        assertThat(entries.size()).isEqualTo(2);
        assertThat(entries.get(0).get("number").asString()).isEqualTo(ADA);
        assertThat(entries.get(0).get("reason").asString()).isEqualTo("first");
        assertThat(entries.get(1).get("reason").asString()).isEqualTo("second");
        assertThat(numbers(api.get("/dnc").json())).hasSize(2);
    }

    @Test
    void invalidRequestsNameTheFieldAndStoreNothing() {
        var api = newOrganization().api();
        var badNumber = add(api, ADA, "+1 212 555 0124");
        assertThat(badNumber.status()).as(badNumber.text()).isEqualTo(422);
        assertThat(fields(badNumber.json())).containsExactly("numbers[1]");
        assertThat(message(badNumber.json(), "numbers[1]")).contains("spaces");

        var none = api.post("/dnc", Map.of("numbers", List.of()));
        assertThat(none.status()).isEqualTo(422);
        assertThat(fields(none.json())).containsExactly("numbers");
        var tooMany = api.post(
                "/dnc",
                Map.of(
                        "numbers",
                        IntStream.range(0, 1001)
                                .mapToObj(i -> String.format("+1650555%04d", i))
                                .toList()));
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(fields(tooMany.json())).containsExactly("numbers");
        var twoLines = api.post("/dnc", Map.of("numbers", List.of(ADA), "reason", "a\nb"));
        assertThat(twoLines.status()).isEqualTo(422);
        assertThat(fields(twoLines.json())).containsExactly("reason");
        var longReason = api.post("/dnc", Map.of("numbers", List.of(ADA), "reason", "x".repeat(256)));
        assertThat(fields(longReason.json())).containsExactly("reason");
        var wrongType = api.send("POST", "/dnc", "application/json", "{\"numbers\": \"" + ADA + "\"}");
        assertThat(wrongType.status()).isEqualTo(422);
        assertThat(fields(wrongType.json())).contains("numbers");

        assertThat(numbers(api.get("/dnc").json())).isEmpty();
    }

    @Test
    void anImportKeepsTheValidRowsAndReportsTheOthersByLine() {
        var api = newOrganization().api();
        add(api, GRACE);
        var csv = """
                +12125550101
                not-a-number

                +12125550102
                +1212555
                +12125550101
                +12125550124
                12125550103
                """;
        var response = importCsv(api, csv);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var result = response.json();
        assertThat(result.get("rows").asLong()).isEqualTo(7);
        assertThat(result.get("added").asLong()).isEqualTo(2);
        assertThat(result.get("already_listed").asLong())
                .as("a repeat within the file and Grace, listed before")
                .isEqualTo(2);
        assertThat(result.get("invalid").asLong()).isEqualTo(3);
        assertThat(result.get("errors_truncated").asBoolean()).isFalse();
        var errors = result.get("errors");
        assertThat(errors.valueStream().map(e -> e.get("line").asLong())).containsExactly(2L, 5L, 8L);
        assertThat(errors.get(0).get("value").asString()).isEqualTo("not-a-number");
        assertThat(errors.get(2).get("detail").asString()).contains("'+'");
        assertThat(numbers(api.get("/dnc").json())).containsExactlyInAnyOrder("+12125550101", "+12125550102", GRACE);
        var imported = api.get("/dnc?number=" + query("+12125550101"))
                .json()
                .get("data")
                .get(0);
        assertThat(imported.get("source").asString()).isEqualTo("import");
        assertThat(imported.get("reason").isNull()).isTrue();
    }

    @Test
    void anImportReadsThePhoneOrNumberColumnOfAHeaderRow() {
        var api = newOrganization().api();
        var phone = importCsv(
                api,
                "\uFEFFname,Phone,email\r\n\"Lovelace, Ada\",+12125550111,ada@example.com\r\nBob,12125550112,bob@example.com\r\n");
        assertThat(phone.status()).as(phone.text()).isEqualTo(200);
        assertThat(phone.json().get("rows").asLong()).isEqualTo(2);
        assertThat(phone.json().get("added").asLong()).isEqualTo(1);
        assertThat(phone.json().get("errors").get(0).get("line").asLong()).isEqualTo(3);
        assertThat(phone.json().get("errors").get(0).get("value").asString()).isEqualTo("12125550112");

        var number = api.send(
                "POST", "/dnc/import?reason=opted%20out%20by%20email", "text/csv", "id,number\n7,+12125550113\n");
        assertThat(number.status()).as(number.text()).isEqualTo(200);
        assertThat(number.json().get("added").asLong()).isEqualTo(1);
        var entry = api.get("/dnc?number=" + query("+12125550113"))
                .json()
                .get("data")
                .get(0);
        assertThat(entry.get("reason").asString()).isEqualTo("opted out by email");
        assertThat(numbers(api.get("/dnc").json())).containsExactlyInAnyOrder("+12125550111", "+12125550113");
    }

    @Test
    void anImportIsCsvAndMayBeLargerThanTheOtherRoutesLimit() {
        var api = newOrganization().api();
        var json = api.send("POST", "/dnc/import", "application/json", "{\"numbers\": []}");
        assertThat(json.status()).as(json.text()).isEqualTo(415);
        var badReason = api.send("POST", "/dnc/import?reason=a%0Ab", "text/csv", ADA + "\n");
        assertThat(badReason.status()).as(badReason.text()).isEqualTo(422);
        assertThat(fields(badReason.json())).containsExactly("reason");

        // 90,000 rows, ~1.2 MB: over the 1 MiB every other route takes
        var csv = new StringBuilder();
        for (int i = 0; i < 90_000; i++) {
            csv.append("+1650")
                    .append(200 + i / 10_000)
                    .append(String.format("%04d", i % 10_000))
                    .append('\n');
        }
        assertThat(csv.length()).isGreaterThan(1024 * 1024);
        var large = importCsv(api, csv.toString());
        assertThat(large.status()).as(large.text()).isEqualTo(200);
        assertThat(large.json().get("rows").asLong()).isEqualTo(90_000);
        assertThat(large.json().get("added").asLong()).isEqualTo(90_000);
        assertThat(large.json().get("invalid").asLong()).isZero();
        assertThat(numbers(api.get("/dnc?number=" + query("+16502089999")).json()))
                .containsExactly("+16502089999");
    }

    @Test
    void anImportPastItsRowLimitKeepsTheRowsBeforeAndSaysWhereItStopped() {
        var api = newOrganization().api();
        doNotCall.maxImportRows(3);
        try {
            var response = importCsv(api, "phone\n+12125550101\n\nbad\n+12125550102\n+12125550103\n+12125550104\n");
            assertThat(response.status()).as(response.text()).isEqualTo(413);
            assertThat(response.json().get("code").asString()).isEqualTo("IMPORT_TOO_LARGE");
            assertThat(response.json().get("detail").asString())
                    .contains("at most 3 rows; line 6")
                    .contains("the 3 rows before were kept (2 added, 0 already listed, 1 invalid)");
        } finally {
            doNotCall.maxImportRows(DoNotCallList.MAX_IMPORT_ROWS);
        }
        assertThat(numbers(api.get("/dnc").json())).containsExactlyInAnyOrder("+12125550101", "+12125550102");
    }

    @Test
    void aCallToAListedNumberIsRefusedInBothDialectsAndNothingIsDialed() {
        var setup = newSetup();
        add(setup.api(), ADA);

        var refused = call(setup, ADA);
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().get("code").asString()).isEqualTo("NUMBER_ON_DNC");
        assertThat(refused.json().get("detail").asString()).contains(ADA).contains("DELETE /dnc/%2B12125550123");

        var talkifai = setup.api()
                .post("/telephony/outbound-call?to_number=" + query(ADA) + "&from_number=" + query(setup.fromNumber()));
        assertThat(talkifai.status()).as(talkifai.text()).isEqualTo(400);
        assertThat(talkifai.json().get("success").asBoolean()).isFalse();
        assertThat(talkifai.json().get("code").asString()).isEqualTo("NUMBER_BLOCKED");
        assertThat(talkifai.json().get("error").asString()).contains(ADA);

        assertThat(setup.api().get("/calls").json().get("data").size())
                .as("a refused call is not stored")
                .isZero();
        assertNothingReachedLiveKitFor(setup);

        // removed from the list, the number may be called again
        setup.api().delete("/dnc/" + query(ADA));
        assertThat(call(setup, ADA).status()).isEqualTo(200);
    }

    @Test
    void withDncNotEnforcedAListedNumberIsCalled() {
        var setup = newSetup();
        add(setup.api(), ADA);
        dncEnforced(setup.api(), false);
        var placed = call(setup, ADA);
        assertThat(placed.status()).as(placed.text()).isEqualTo(200);
        var room = placed.json().get("room_name").asString();
        awaitDialedOnce(room);
    }

    @Test
    void listingANumberCancelsItsQueuedCall() {
        var setup = newSetup();
        pauseTrunk(setup);
        var placed = call(setup, ADA);
        assertThat(placed.json().get("status").asString()).isEqualTo("queued");
        var id = placed.json().get("call_id").asString();
        var room = placed.json().get("room_name").asString();
        var other = call(setup, GRACE).json().get("call_id").asString();

        add(setup.api(), ADA);
        var canceled = awaitCall(setup.api(), id, "canceled");
        assertThat(canceled.get("end_reason").asString()).isEqualTo("dnc");
        assertThat(setup.api().get("/calls/" + other).json().get("status").asString())
                .as("a call to another number waits on")
                .isEqualTo("queued");

        openTrunk(setup);
        awaitCall(setup.api(), other, "in_progress");
        assertThat(requestsFor("SIP", "CreateSIPParticipant", room)).isEmpty();
    }

    @Test
    void anImportCancelsQueuedCallsToTheNumbersItLists() {
        var setup = newSetup();
        pauseTrunk(setup);
        var id = call(setup, ADA).json().get("call_id").asString();
        assertThat(importCsv(setup.api(), "phone\n" + ADA + "\n").status()).isEqualTo(200);
        assertThat(awaitCall(setup.api(), id, "canceled").get("end_reason").asString())
                .isEqualTo("dnc");
    }

    @Test
    void listingANumberCancelsItsScheduledCall() {
        var setup = newSetup();
        var placed = setup.api()
                .post(
                        "/calls/outbound",
                        body(
                                "agent_id",
                                setup.agentId(),
                                "to_number",
                                ADA,
                                "schedule_at",
                                clock.instant()
                                        .plus(java.time.Duration.ofDays(1))
                                        .toString()));
        assertThat(placed.status()).as(placed.text()).isEqualTo(200);
        assertThat(placed.json().get("status").asString()).isEqualTo("scheduled");
        add(setup.api(), ADA);
        var canceled = awaitCall(setup.api(), placed.json().get("call_id").asString(), "canceled");
        assertThat(canceled.get("end_reason").asString()).isEqualTo("dnc");
    }

    @Test
    void preflightReportsAListedNumber() {
        var setup = newSetup();
        add(setup.api(), ADA);
        var preflight = setup.api().post("/calls/preflight", body("agent_id", setup.agentId(), "to_number", ADA));
        assertThat(preflight.status()).as(preflight.text()).isEqualTo(200);
        assertThat(preflight.json().get("allowed").asBoolean()).isFalse();
        assertThat(preflight.json().get("would").asString()).isEqualTo("refuse");
        assertThat(preflight
                        .json()
                        .get("reasons")
                        .valueStream()
                        .map(r -> r.get("code").asString()))
                .containsExactly("NUMBER_ON_DNC");
        dncEnforced(setup.api(), false);
        assertThat(setup.api()
                        .post("/calls/preflight", body("agent_id", setup.agentId(), "to_number", ADA))
                        .json()
                        .get("allowed")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void aNumberListedWhileItsCallIsQueuedIsNeverDialed() {
        var setup = newSetup();
        pauseTrunk(setup);
        var placed = call(setup, ADA);
        var id = placed.json().get("call_id").asString();
        var room = placed.json().get("room_name").asString();
        // listed while not enforced (nothing is canceled then), enforced before the line frees:
        // the dispatcher's own check before the dial stops it
        dncEnforced(setup.api(), false);
        add(setup.api(), ADA);
        assertThat(setup.api().get("/calls/" + id).json().get("status").asString())
                .isEqualTo("queued");
        dncEnforced(setup.api(), true);
        openTrunk(setup);

        var canceled = awaitCall(setup.api(), id, "canceled");
        assertThat(canceled.get("end_reason").asString()).isEqualTo("dnc");
        assertThat(requestsFor("SIP", "CreateSIPParticipant", room)).isEmpty();
    }

    @Test
    void anotherOrganizationsListDoesNotAffectYours() {
        var mine = newSetup();
        var theirs = newSetup();
        add(theirs.api(), ADA);
        assertThat(numbers(mine.api().get("/dnc").json())).isEmpty();
        assertThat(numbers(mine.api().get("/dnc?number=" + query(ADA)).json())).isEmpty();
        assertThat(mine.api().delete("/dnc/" + query(ADA)).status()).isEqualTo(404);
        assertThat(call(mine, ADA).status()).isEqualTo(200);
        assertThat(call(theirs, ADA).status()).isEqualTo(422);

        pauseTrunk(mine);
        var queued = call(mine, GRACE).json().get("call_id").asString();
        add(theirs.api(), GRACE);
        assertThat(importCsv(theirs.api(), GRACE + "\n").status()).isEqualTo(200);
        // their listing is committed and handled before their response: my call still waits
        assertThat(mine.api().get("/calls/" + queued).json().get("status").asString())
                .isEqualTo("queued");
        assertThat(numbers(theirs.api().get("/dnc").json())).containsExactlyInAnyOrder(ADA, GRACE);
    }
}
