package dev.dialplane.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.common.E164;
import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.fakelivekit.RecordedRequest;
import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * TalkifAI's batch routes end to end against the fake LiveKit: the exact bodies (camelCase), a
 * pending job that dials nobody until started, the contacts' custom fields reaching the agent, a
 * 10,000-row CSV, every documented error code in TalkifAI's envelope, a start scheduled in a time
 * zone and rescheduled (settable clock), cancel counts, and the retry policy (busy retried after 5
 * and 30 minutes, an invalid number never).
 */
class BatchIntegrationTests extends LiveKitIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final AtomicInteger CALLEES = new AtomicInteger();
    private static final String BOUNDARY = "dialplane-batch-boundary";

    @Autowired
    CampaignDriver driver;

    /** A callee number (New York's 646) no other test of this class uses. */
    private static String callee() {
        return "+1646555" + (3000 + CALLEES.getAndIncrement() % 7000);
    }

    private static Map<String, Object> contact(String phone, Object... fields) {
        var contact = body("phone", phone);
        contact.putAll(body(fields));
        return contact;
    }

    private static Api.Response create(Setup setup, List<?> contacts, Object... fields) {
        var request = body("fromPhoneNumberId", setup.numberId(), "name", "Renewals", "contacts", contacts);
        request.putAll(body(fields));
        return setup.api().post("/batch/create", request);
    }

    private static JsonNode created(Setup setup, List<?> contacts, Object... fields) {
        var response = create(setup, contacts, fields);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode job(Setup setup, JsonNode created, String query) {
        var response =
                setup.api().get("/batch/jobs/" + created.get("batchJobId").asString() + query);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static Api.Response action(Setup setup, JsonNode created, String action) {
        return setup.api().post("/batch/jobs/" + created.get("batchJobId").asString() + "/" + action);
    }

    /** The fake's dials of this setup's agent to {@code number}. */
    private static List<RecordedRequest> dials(Setup setup, String number) {
        return LIVEKIT.requests("SIP", "CreateSIPParticipant").stream()
                .filter(r -> r.body() != null
                        && r.body()
                                .toString()
                                .contains("outbound_" + setup.agentId() + "_" + E164.digits(number) + "_"))
                .toList();
    }

    private static List<JsonNode> inProgress(Setup setup) {
        var page = setup.api().get("/calls?limit=200&status=in_progress");
        var out = new ArrayList<JsonNode>();
        page.json().get("data").valueStream().forEach(out::add);
        return out;
    }

    private static void hangUpAll(Setup setup, int expected) {
        var live = Awaitility.await().atMost(WAIT).until(() -> inProgress(setup), c -> c.size() == expected);
        for (var call : live) {
            assertThat(setup.api()
                            .post("/calls/" + call.get("id").asString() + "/hangup")
                            .status())
                    .isEqualTo(200);
        }
    }

    private static JsonNode contactOf(JsonNode job, String phone) {
        return job.get("contacts")
                .valueStream()
                .filter(c -> c.get("phoneNumber").asString().equals(phone))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no contact " + phone + " in " + job));
    }

    private static String multipart(Map<String, String> fields, String fileName, String csv) {
        var body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--")
                .append(BOUNDARY)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\n\r\n")
                .append(value)
                .append("\r\n"));
        body.append("--")
                .append(BOUNDARY)
                .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(fileName)
                .append("\"\r\nContent-Type: text/csv\r\n\r\n")
                .append(csv)
                .append("\r\n--")
                .append(BOUNDARY)
                .append("--\r\n");
        return body.toString();
    }

    private static Api.Response upload(Setup setup, String csv, String... fields) {
        var form = new LinkedHashMap<String, String>();
        form.put("fromPhoneNumberId", setup.numberId().toString());
        form.put("name", "Uploaded");
        for (int i = 0; i < fields.length; i += 2) {
            form.put(fields[i], fields[i + 1]);
        }
        return setup.api()
                .send(
                        "POST",
                        "/batch/create",
                        "multipart/form-data; boundary=" + BOUNDARY,
                        multipart(form, "c.csv", csv));
    }

    private static void assertError(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        var body = response.json();
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("code").asString()).as(response.text()).isEqualTo(code);
        assertThat(body.get("error").asString()).isEqualTo(body.get("detail").asString());
    }

    @Test
    void aPendingJobDialsNobodyUntilStartedAndItsContactsFieldsReachTheAgent() {
        var setup = newSetup();
        var ada = callee();
        var grace = callee();
        var created = created(
                setup,
                List.of(contact(ada, "name", "Ada", "plan", "gold", "renewal_date", "2027-02-01"), contact(grace)),
                "description",
                "February renewals",
                "concurrentCallLimit",
                2);
        // exactly TalkifAI's create response
        assertThat(fieldNames(created))
                .containsExactly(
                        "success",
                        "batchJobId",
                        "totalContacts",
                        "estimatedDuration",
                        "estimatedCost",
                        "status",
                        "scheduledStartTime",
                        "message");
        assertThat(created.get("success").asBoolean()).isTrue();
        assertThat(created.get("totalContacts").asInt()).isEqualTo(2);
        assertThat(created.get("status").asString()).isEqualTo("pending");
        assertThat(created.get("scheduledStartTime").isNull()).isTrue();
        // 2 contacts × 2 assumed minutes × 0.10 per minute; one round of 2 minutes at 2 at a time
        assertThat(created.get("estimatedCost").asString()).isEqualTo("$0.40");
        assertThat(created.get("estimatedDuration").asString()).isEqualTo("2m");

        driver.pass();
        assertThat(dials(setup, ada)).isEmpty();
        var pending = job(setup, created, "");
        assertThat(pending.get("status").asString()).isEqualTo("pending");
        assertThat(pending.get("description").asString()).isEqualTo("February renewals");
        assertThat(pending.get("statusBreakdown").get("pending").asInt()).isEqualTo(2);
        assertThat(pending.get("retryPolicy").get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(pending.get("retryPolicy").get("retryableStatuses").toString())
                .isEqualTo("[\"no_answer\",\"busy\",\"timeout\"]");
        assertThat(fieldNames(pending))
                .containsExactly(
                        "id",
                        "name",
                        "description",
                        "status",
                        "agentId",
                        "totalContacts",
                        "concurrentCallLimit",
                        "maxAttempts",
                        "scheduledStartTime",
                        "timezone",
                        "actualStartTime",
                        "completedAt",
                        "estimatedDuration",
                        "estimatedCost",
                        "statusReason",
                        "createdAt",
                        "statusBreakdown",
                        "estimatedCompletionTime",
                        "retryPolicy",
                        "contacts",
                        "contactsTotal",
                        "contactsPage",
                        "contactsPageSize",
                        "contactsHasMore");
        assertThat(pending.get("statusBreakdown").propertyNames())
                .containsExactly(
                        "pending",
                        "queued",
                        "dialing",
                        "completed",
                        "no_answer",
                        "busy",
                        "timeout",
                        "blocked",
                        "invalid_number",
                        "carrier_error",
                        "failed",
                        "cancelled");
        assertThat(pending.get("contactsTotal").asInt()).isEqualTo(2);
        assertThat(pending.get("contactsHasMore").asBoolean()).isFalse();
        var first = contactOf(pending, ada);
        assertThat(fieldNames(first))
                .containsExactly(
                        "id",
                        "phoneNumber",
                        "contactData",
                        "status",
                        "errorCode",
                        "attemptCount",
                        "maxAttempts",
                        "lastAttemptAt",
                        "nextRetryAt",
                        "completedAt",
                        "roomName",
                        "failureReason",
                        "callDuration");
        assertThat(first.get("contactData").toString())
                .isEqualTo("{\"name\":\"Ada\",\"plan\":\"gold\",\"renewal_date\":\"2027-02-01\"}");
        assertThat(first.get("status").asString()).isEqualTo("pending");
        assertThat(first.get("attemptCount").asInt()).isZero();

        var started = action(setup, created, "start");
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        assertThat(started.json().get("status").asString()).isEqualTo("running");
        assertThat(fieldNames(started.json()))
                .startsWith("success", "message", "batchJobId", "id")
                .endsWith("contactsEnqueued", "redisJobCancelled", "startedAt");
        assertThat(started.json().get("contactsEnqueued").asInt()).isEqualTo(2);
        assertThat(started.json().get("redisJobCancelled").asBoolean()).isFalse();
        assertThat(started.json().get("startedAt").isNull()).isFalse();
        assertThat(started.json().get("batchJobId").asString())
                .isEqualTo(created.get("batchJobId").asString());
        assertError(action(setup, created, "start"), 409, "CAMPAIGN_STATE_CONFLICT");

        hangUpAll(setup, 2);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> job(setup, created, "").get("status").asString().equals("completed"));
        assertThat(dials(setup, ada)).hasSize(1);
        assertThat(dials(setup, grace)).hasSize(1);
        // the number's outbound agent called, from the number, with the contact's fields in its job metadata
        var done = job(setup, created, "");
        var room = contactOf(done, ada).get("roomName").asString();
        assertThat(room).startsWith("outbound_" + setup.agentId() + "_" + E164.digits(ada) + "_");
        var dispatch = requestsFor("AgentDispatchService", "CreateDispatch", room);
        assertThat(dispatch).hasSize(1);
        var metadata = JSON.readTree(
                dispatch.getFirst().bodyAs(CreateAgentDispatchRequest.class).getMetadata());
        assertThat(metadata.get("from_number").asString()).isEqualTo(setup.fromNumber());
        assertThat(metadata.get("agent_id").asString())
                .isEqualTo(setup.agentId().toString());
        assertThat(metadata.get("context").toString())
                .isEqualTo("{\"name\":\"Ada\",\"plan\":\"gold\",\"renewal_date\":\"2027-02-01\"}");
        var completed = contactOf(done, ada);
        assertThat(completed.get("status").asString()).isEqualTo("completed");
        assertThat(completed.get("attemptCount").asInt()).isEqualTo(1);
        assertThat(completed.get("completedAt").isNull()).isFalse();
        assertThat(completed.get("lastAttemptAt").isNull()).isFalse();
        assertThat(completed.get("callDuration").isNull()).isFalse();
        assertThat(done.get("statusBreakdown").get("completed").asInt()).isEqualTo(2);
        assertThat(done.get("completedAt").isNull()).isFalse();
        assertThat(done.get("actualStartTime").isNull()).isFalse();
    }

    @Test
    void aTenThousandRowCsvIsStoredCompletely() {
        var setup = newSetup(5000);
        var csv = new StringBuilder("phone,name,plan\n");
        for (int i = 0; i < 10_000; i++) {
            csv.append(String.format("+16462%06d,Person %d,plan-%d%n", i, i, i % 3));
        }
        var response = upload(setup, csv.toString(), "concurrentCallLimit", "10", "maxAttempts", "1");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        var created = response.json();
        assertThat(created.get("totalContacts").asInt()).isEqualTo(10_000);
        assertThat(created.get("status").asString()).isEqualTo("pending");
        // 10,000 × 2 min × 0.10; 1,000 rounds of 2 minutes at 10 at a time
        assertThat(created.get("estimatedCost").asString()).isEqualTo("$2000.00");
        assertThat(created.get("estimatedDuration").asString()).isEqualTo("33h 20m");

        var last = job(setup, created, "?contactsPage=20&contactsPageSize=500");
        assertThat(last.get("contactsTotal").asInt()).isEqualTo(10_000);
        assertThat(last.get("contacts").size()).isEqualTo(500);
        assertThat(last.get("contactsHasMore").asBoolean()).isFalse();
        var row = last.get("contacts").get(499);
        assertThat(row.get("phoneNumber").asString()).isEqualTo("+16462009999");
        assertThat(row.get("contactData").toString()).isEqualTo("{\"name\":\"Person 9999\",\"plan\":\"plan-0\"}");
        assertThat(row.get("maxAttempts").asInt()).isEqualTo(1);
        assertThat(job(setup, created, "?contactsPage=2&contactsPageSize=500")
                        .get("contactsHasMore")
                        .asBoolean())
                .isTrue();

        var canceled = action(setup, created, "cancel");
        assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);
        assertThat(canceled.json().get("contactsCancelled").asInt()).isEqualTo(10_000);
        assertThat(canceled.json().get("status").asString()).isEqualTo("cancelled");
        assertNothingReachedLiveKitFor(setup);
    }

    @Test
    void badFilesAreRefusedNamingTheirRows() throws Exception {
        var setup = newSetup();
        var good = callee();
        var badRows = upload(setup, "Phone,Name\n" + good + ",Ada\n\n2025550123,Bob\n" + good + ",Ada again\n");
        assertError(badRows, 400, "invalid_phone_format");
        assertThat(badRows.json().get("error").asString()).contains("data row 2 (line 4)");
        var messages = badRows.json()
                .get("errors")
                .valueStream()
                .map(e -> e.get("field").asString() + " " + e.get("message").asString())
                .toList();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(1)).contains("contacts[2].phone", "data row 3 (line 5) duplicates data row 1");

        assertError(upload(setup, "number,name\n" + good + ",Ada\n"), 400, "invalid_csv");
        assertError(upload(setup, ""), 400, "invalid_csv");
        assertError(upload(setup, "phone,name\n"), 400, "validation_error");

        var tooBig = "phone,notes\n" + good + "," + "x".repeat(10 * 1024 * 1024) + "\n";
        assertError(upload(setup, tooBig), 413, "file_too_large");
        assertError(upload(setup, tooBig + "y".repeat(1024 * 1024)), 413, "PAYLOAD_TOO_LARGE");

        // a body that is no multipart form, and an oversized one sent without Content-Length
        // (a body that is not a form has no parts: the fields it lacks are named)
        assertError(
                setup.api().send("POST", "/batch/create", "multipart/form-data; boundary=" + BOUNDARY, "garbage"),
                400,
                "validation_error");
        assertError(
                setup.api()
                        .send("POST", "/batch/create", "multipart/form-data", multipart(Map.of(), "c.csv", "phone\n")),
                400,
                "MALFORMED_REQUEST");
        var chunked = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/batch/create"))
                        .header("Authorization", "Bearer " + apiKeyOf(setup))
                        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                                multipart(Map.of("name", "x"), "c.csv", tooBig + "y".repeat(1024 * 1024))
                                        .getBytes(StandardCharsets.UTF_8))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(JSON.readTree(chunked.body()).get("success").asBoolean()).isFalse();

        var tooMany = new StringBuilder("phone\n");
        for (int i = 0; i <= 10_000; i++) {
            tooMany.append(String.format("+16463%06d%n", i));
        }
        assertError(upload(setup, tooMany.toString()), 400, "too_many_contacts");
        assertThat(setup.api().get("/batch/jobs").json().get("total").asInt()).isZero();
    }

    @Test
    void everyDocumentedErrorInTalkifaisEnvelope() {
        var setup = newSetup();
        var number = callee();
        var contacts = List.of(contact(number));
        var many = new ArrayList<Map<String, Object>>();
        for (int i = 0; i <= 10_000; i++) {
            many.add(contact("+1"));
        }
        assertError(create(setup, many), 400, "too_many_contacts");
        assertError(create(setup, contacts, "timezone", "Mars/Olympus"), 400, "invalid_timezone");
        assertError(
                create(setup, contacts, "scheduledStartTime", "2020-01-01T09:00:00", "timezone", "Europe/Paris"),
                400,
                "past_scheduled_time");
        var badPhone = create(setup, List.of(contact(number), contact("2025550123")));
        assertError(badPhone, 400, "invalid_phone_format");
        assertThat(badPhone.json().get("errors").get(0).get("field").asString()).isEqualTo("contacts[1].phone");
        var duplicate = create(setup, List.of(contact(number), contact(number)));
        assertError(duplicate, 400, "duplicate_phone");
        assertThat(duplicate.json().get("error").asString()).contains("contacts[1].phone", "contacts[0]");
        var invalid = create(setup, contacts, "concurrentCallLimit", 51, "maxAttempts", 0, "name", "");
        assertError(invalid, 400, "validation_error");
        assertThat(fields(invalid.json())).containsExactly("name", "concurrentCallLimit", "maxAttempts");
        assertError(
                setup.api()
                        .post(
                                "/batch/create",
                                body("fromPhoneNumberId", UUID.randomUUID(), "name", "x", "contacts", contacts)),
                404,
                "not_found");

        var agentless = create(
                setup.api(),
                "/phone-numbers",
                Map.of("number", uniqueNumber(), "sip_trunk_id", setup.trunkId().toString()));
        assertError(
                setup.api()
                        .post(
                                "/batch/create",
                                body("fromPhoneNumberId", id(agentless), "name", "x", "contacts", contacts)),
                400,
                "no_outbound_agent");

        var textAgent = create(
                setup.api(), "/agents", Map.of("name", "Chat", "architecture", "text", "livekit_agent_name", "chat"));
        var texting = create(
                setup.api(),
                "/phone-numbers",
                Map.of(
                        "number",
                        uniqueNumber(),
                        "sip_trunk_id",
                        setup.trunkId().toString(),
                        "outbound_agent_id",
                        textAgent.get("id").asString()));
        assertError(
                setup.api()
                        .post(
                                "/batch/create",
                                body("fromPhoneNumberId", id(texting), "name", "x", "contacts", contacts)),
                400,
                "TEXT_AGENT_NOT_SUPPORTED");

        var poor = newSetup(0.5);
        var tenContacts = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 10; i++) {
            tenContacts.add(contact(callee()));
        }
        assertError(create(poor, tenContacts), 402, "insufficient_credits");

        var other = newSetup();
        var job = created(setup, contacts);
        assertError(other.api().get("/batch/jobs/" + job.get("batchJobId").asString()), 404, "not_found");
        assertError(other.api().get("/batch/jobs/not-a-job"), 404, "not_found");
        assertError(action(other, job, "cancel"), 404, "not_found");
        assertError(setup.api().get("/batch/jobs?organizationId=" + other.org().id()), 404, "not_found");
        assertError(setup.api().get("/batch/jobs?pageSize=101"), 400, "validation_error");
        assertError(setup.api().get("/batch/jobs?status=done"), 400, "validation_error");
        assertError(
                setup.api().get("/batch/jobs/" + job.get("batchJobId").asString() + "?contactsPageSize=501"),
                400,
                "validation_error");
        assertError(
                setup.api().get("/batch/jobs/" + job.get("batchJobId").asString() + "?contactStatus=gone"),
                400,
                "validation_error");
        assertError(
                setup.api().send("POST", "/batch/create", "application/json", "{\"name\":"), 400, "MALFORMED_REQUEST");
        assertThat(setup.api().get("/batch/jobs").json().get("total").asInt()).isEqualTo(1);
        assertNothingReachedLiveKitFor(setup);
    }

    @Test
    void listsTheOrganizationsJobsByStatusAndPage() {
        var setup = newSetup();
        var first = created(setup, List.of(contact(callee())));
        var second = created(setup, List.of(contact(callee())), "scheduledStartTime", "2099-01-01T09:00:00");
        var all = setup.api().get("/batch/jobs?organizationId=" + setup.org().id() + "&page=1&pageSize=1");
        assertThat(all.status()).as(all.text()).isEqualTo(200);
        assertThat(fieldNames(all.json())).containsExactly("batchJobs", "total", "page", "pageSize");
        assertThat(all.json().get("total").asInt()).isEqualTo(2);
        assertThat(all.json().get("batchJobs").size()).isEqualTo(1);
        // newest first
        assertThat(all.json().get("batchJobs").get(0).get("id").asString())
                .isEqualTo(second.get("batchJobId").asString());
        var page2 = setup.api().get("/batch/jobs?page=2&pageSize=1").json();
        assertThat(page2.get("batchJobs").get(0).get("id").asString())
                .isEqualTo(first.get("batchJobId").asString());
        var pending = setup.api().get("/batch/jobs?status=pending").json();
        assertThat(pending.get("total").asInt()).isEqualTo(1);
        assertThat(pending.get("batchJobs").get(0).get("status").asString()).isEqualTo("pending");
        assertThat(setup.api()
                        .get("/batch/jobs?status=failed")
                        .json()
                        .get("total")
                        .asInt())
                .isZero();
        assertThat(newSetup().api().get("/batch/jobs").json().get("total").asInt())
                .isZero();
        action(setup, second, "cancel");
    }

    @Test
    void aScheduledStartInItsTimeZoneRunsThenAndCanBeRescheduled() {
        var setup = newSetup();
        var number = callee();
        var newYork = ZoneId.of("America/New_York");
        var local =
                LocalDateTime.ofInstant(clock.instant(), newYork).plusHours(1).truncatedTo(ChronoUnit.SECONDS);
        var created = created(
                setup,
                List.of(contact(number)),
                "scheduledStartTime",
                local.toString(),
                "timezone",
                "America/New_York");
        var start = local.atZone(newYork).toInstant();
        assertThat(created.get("status").asString()).isEqualTo("scheduled");
        assertThat(created.get("scheduledStartTime").asString()).isEqualTo(start.toString());
        assertThat(job(setup, created, "").get("timezone").asString()).isEqualTo("America/New_York");
        driver.pass();
        assertThat(dials(setup, number)).isEmpty();

        // an hour later, in query parameters (TalkifAI's PATCH); the job keeps its zone
        var later = local.plusHours(1);
        var moved = setup.api()
                .patch(
                        "/batch/jobs/" + created.get("batchJobId").asString() + "/reschedule?scheduledStartTime="
                                + later,
                        Map.of());
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(fieldNames(moved.json()))
                .startsWith("success", "message", "batchJobId", "id")
                .endsWith("oldJobCancelled", "newScheduledJobId");
        assertThat(moved.json().get("oldJobCancelled").asBoolean()).isTrue();
        assertThat(moved.json().get("newScheduledJobId").asString())
                .isEqualTo(created.get("batchJobId").asString());
        assertThat(moved.json().get("scheduledStartTime").asString())
                .isEqualTo(later.atZone(newYork).toInstant().toString());
        assertError(
                setup.api()
                        .post(
                                "/batch/jobs/" + created.get("batchJobId").asString() + "/reschedule",
                                Map.of("scheduledStartTime", "2020-01-01T00:00:00")),
                400,
                "past_scheduled_time");

        setClock(start.plusSeconds(1));
        driver.pass();
        assertThat(dials(setup, number)).isEmpty();
        setClock(later.atZone(newYork).toInstant().plusSeconds(1));
        Awaitility.await().atMost(WAIT).until(() -> dials(setup, number).size() == 1);
        assertThat(job(setup, created, "").get("status").asString()).isEqualTo("running");
        hangUpAll(setup, 1);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> job(setup, created, "").get("status").asString().equals("completed"));
        assertError(
                setup.api()
                        .post("/batch/jobs/" + created.get("batchJobId").asString() + "/reschedule?scheduledStartTime="
                                + later.plusDays(1)),
                409,
                "CAMPAIGN_ENDED");
    }

    @Test
    void cancelCountsTheContactsItCanceledAndLetsLiveCallsEnd() {
        var setup = newSetup();
        var numbers = List.of(callee(), callee(), callee());
        var created = created(setup, numbers.stream().map(n -> contact(n)).toList(), "concurrentCallLimit", 1);
        assertThat(action(setup, created, "start").status()).isEqualTo(200);
        var live = Awaitility.await().atMost(WAIT).until(() -> inProgress(setup), c -> c.size() == 1);
        var canceled = action(setup, created, "cancel");
        assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);
        assertThat(fieldNames(canceled.json()))
                .startsWith("success", "message", "batchJobId", "id")
                .endsWith("redisJobCancelled", "contactsCancelled");
        assertThat(canceled.json().get("contactsCancelled").asInt()).isEqualTo(2);
        assertThat(canceled.json().get("redisJobCancelled").asBoolean()).isFalse();
        assertThat(canceled.json().get("status").asString()).isEqualTo("cancelled");
        var breakdown = job(setup, created, "").get("statusBreakdown");
        assertThat(breakdown.get("cancelled").asInt()).isEqualTo(2);
        assertThat(breakdown.get("dialing").asInt()).isEqualTo(1);
        assertThat(job(setup, created, "?contactStatus=cancelled")
                        .get("contactsTotal")
                        .asInt())
                .isEqualTo(2);
        assertThat(setup.api()
                        .post("/calls/" + live.getFirst().get("id").asString() + "/hangup")
                        .status())
                .isEqualTo(200);
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> job(setup, created, "")
                                .get("statusBreakdown")
                                .get("completed")
                                .asInt()
                        == 1);
        driver.pass();
        assertThat(numbers.stream().mapToInt(n -> dials(setup, n).size()).sum()).isEqualTo(1);
        assertError(action(setup, created, "cancel"), 409, "CAMPAIGN_ENDED");
    }

    @Test
    void busyIsRetriedAfterFiveAndThirtyMinutesThenFails_andAnInvalidNumberNever() {
        var setup = newSetup();
        var busy = callee();
        var invalid = callee();
        LIVEKIT.onDial(busy, DialScript.sipFailure(486, "Busy Here"));
        LIVEKIT.onDial(invalid, DialScript.sipFailure(404, "Not Found"));
        var created = created(setup, List.of(contact(busy), contact(invalid)), "maxAttempts", 3);
        assertThat(action(setup, created, "start").status()).isEqualTo(200);
        Awaitility.await().atMost(WAIT).until(() -> {
            var job = job(setup, created, "");
            return contactOf(job, invalid).get("status").asString().equals("invalid_number")
                    && contactOf(job, busy).get("status").asString().equals("busy")
                    && !contactOf(job, busy).get("nextRetryAt").isNull();
        });
        var job = job(setup, created, "");
        var failed = contactOf(job, invalid);
        assertThat(failed.get("errorCode").asString()).isEqualTo("404");
        assertThat(failed.get("attemptCount").asInt()).isEqualTo(1);
        assertThat(failed.get("failureReason").asString()).isEqualTo("invalid_number");
        var waiting = contactOf(job, busy);
        assertThat(waiting.get("errorCode").asString()).isEqualTo("486");
        assertThat(waiting.get("attemptCount").asInt()).isEqualTo(1);
        assertThat(waiting.get("maxAttempts").asInt()).isEqualTo(3);
        var second = Instant.parse(waiting.get("nextRetryAt").asString());
        var firstEnded = Instant.parse(waiting.get("lastAttemptAt").asString());
        assertThat(second)
                .isBetween(
                        firstEnded.plus(Duration.ofMinutes(5)), clock.instant().plus(Duration.ofMinutes(5)));

        setClock(second.minusSeconds(30));
        driver.pass();
        assertThat(dials(setup, busy)).hasSize(1);
        setClock(second.plusSeconds(1));
        Awaitility.await().atMost(WAIT).until(() -> {
            var now = contactOf(job(setup, created, ""), busy);
            return now.get("attemptCount").asInt() == 2
                    && !now.get("nextRetryAt").isNull();
        });
        var third = Instant.parse(
                contactOf(job(setup, created, ""), busy).get("nextRetryAt").asString());
        assertThat(third)
                .isBetween(second.plus(Duration.ofMinutes(30)), clock.instant().plus(Duration.ofMinutes(30)));
        setClock(third.minusSeconds(30));
        driver.pass();
        assertThat(dials(setup, busy)).hasSize(2);
        setClock(third.plusSeconds(1));
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> job(setup, created, "").get("status").asString().equals("completed"));
        var done = job(setup, created, "");
        assertThat(contactOf(done, busy).get("status").asString()).isEqualTo("busy");
        assertThat(contactOf(done, busy).get("attemptCount").asInt()).isEqualTo(3);
        assertThat(contactOf(done, busy).get("nextRetryAt").isNull()).isTrue();
        assertThat(contactOf(done, busy).get("completedAt").isNull()).isFalse();
        assertThat(dials(setup, busy)).hasSize(3);
        assertThat(dials(setup, invalid)).hasSize(1);
        assertThat(done.get("statusBreakdown").get("busy").asInt()).isEqualTo(1);
        assertThat(done.get("statusBreakdown").get("invalid_number").asInt()).isEqualTo(1);
        assertThat(job(setup, created, "?contactStatus=busy")
                        .get("contacts")
                        .get(0)
                        .get("phoneNumber")
                        .asString())
                .isEqualTo(busy);
    }

    private static String apiKeyOf(Setup setup) {
        var created = setup.api().post("/api-keys", Map.of("name", "raw client"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("key").asString();
    }

    private static List<String> fieldNames(JsonNode node) {
        return new ArrayList<>(node.propertyNames());
    }
}
