package dev.dialplane.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import livekit.LivekitRoom.CreateRoomRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the agent learned: the call's report token reaches its agent (and nobody else), the agent
 * reports with it (or the organization with its API key), each field's latest report wins, every
 * report is kept in the call's events, and a token works for its own call only, until 24 h after
 * the call ended.
 */
class CallOutcomeIntegrationTests extends LiveKitIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    JdbcClient jdbc;

    /** The call's agent job metadata, as LiveKit hands it to the agent. */
    record AgentJob(String reportUrl, String token, JsonNode metadata) {}

    static AgentJob agentJob(JsonNode call) {
        var room = call.get("room_name").asString();
        var dispatches = requestsFor("AgentDispatchService", "CreateDispatch", room);
        assertThat(dispatches).hasSize(1);
        var metadata = JSON.readTree(
                dispatches.getFirst().bodyAs(CreateAgentDispatchRequest.class).getMetadata());
        return new AgentJob(
                metadata.get("dialplane.report_url").asString(),
                metadata.get("dialplane.report_token").asString(),
                metadata);
    }

    /** What the agent sends: its token, to the URL it was given. */
    Api.Response agentReports(AgentJob job, Object body) {
        return anonymous().withKey(job.token()).post(URI.create(job.reportUrl()).getPath(), body);
    }

    @Test
    void theAgentGetsItsCallsReportUrlAndTokenInItsJobMetadataOnly() {
        var setup = newSetup();
        var call = answeredCall(setup, "+12025550123");
        var id = call.get("id").asString();
        var job = agentJob(call);

        assertThat(job.reportUrl()).isEqualTo("http://localhost:" + port + "/calls/" + id + "/outcome");
        assertThat(job.token()).startsWith("dprt_").hasSizeGreaterThanOrEqualTo(5 + 43);
        assertThat(job.metadata().get("call_id").asString()).isEqualTo(id);
        var room =
                requestsFor("RoomService", "CreateRoom", call.get("room_name").asString());
        assertThat(room.getFirst().bodyAs(CreateRoomRequest.class).getMetadata())
                .as("room metadata is visible to every participant: no token in it")
                .doesNotContain(job.token())
                .doesNotContain("report_token");

        var stored = jdbc.sql("select token_hash from call_report_tokens where call_id = :id")
                .param("id", UUID.fromString(id))
                .query(String.class)
                .single();
        assertThat(stored).isEqualTo(sha256(job.token())).doesNotContain(job.token());

        var responses = List.of(
                setup.api().get("/calls/" + id),
                setup.api().get("/calls/" + id + "/events"),
                setup.api().get("/calls"),
                agentReports(job, Map.of("answered_by", "human")),
                setup.api().get("/calls/" + id + "/events"));
        for (var response : responses) {
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            assertThat(response.text()).doesNotContain(job.token()).doesNotContain(sha256(job.token()));
        }
    }

    @Test
    void theAgentReportsWithItsTokenAndTheCallShowsItAsMrAssistantNamesIt() {
        var setup = newSetup();
        var call = answeredCall(setup, "+12025550123");
        var id = call.get("id").asString();
        assertThat(call.get("disposition").isNull()).isTrue();
        assertThat(call.get("sentiment_score").isNull()).isTrue();
        assertThat(call.get("language_detected").isNull()).isTrue();
        assertThat(call.get("answered_by").isNull()).isTrue();
        assertThat(call.get("outcome_reported_at").isNull()).isTrue();

        var report = agentReports(
                agentJob(call),
                Map.of(
                        "answered_by", "human",
                        "disposition", "interested",
                        "summary", "Wants a demo.\nCall back Tuesday.",
                        "sentiment_score", 0.75,
                        "language_detected", "pt-br"));

        assertThat(report.status()).as(report.text()).isEqualTo(200);
        var shown = setup.api().get("/calls/" + id).json();
        assertThat(report.json()).isEqualTo(shown);
        assertThat(shown.get("answered_by").asString()).isEqualTo("human");
        assertThat(shown.get("disposition").asString()).isEqualTo("interested");
        assertThat(shown.get("summary").asString()).isEqualTo("Wants a demo.\nCall back Tuesday.");
        assertThat(shown.get("sentiment_score").asDouble()).isEqualTo(0.75);
        assertThat(shown.get("language_detected").asString())
                .as("canonical BCP 47 case")
                .isEqualTo("pt-BR");
        assertThat(shown.get("outcome_reported_at").isString()).isTrue();
        assertThat(shown.get("status").asString()).isEqualTo("in_progress");

        var listed = setup.api().get("/calls").json().get("data");
        var row = listed.valueStream()
                .filter(c -> c.get("id").asString().equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(row).isEqualTo(shown);
    }

    @Test
    void eachFieldsLatestReportWinsAndEveryReportIsKeptInTheCallsEvents() {
        var setup = newSetup();
        var call = answeredCall(setup, "+12025550123");
        var id = call.get("id").asString();
        var job = agentJob(call);

        var first = agentReports(
                job,
                Map.of("answered_by", "machine_voicemail", "disposition", "left_message", "sentiment_score", -0.5));
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        // the organization corrects it with its API key: only the fields it gives change
        var second = setup.api()
                .post("/calls/" + id + "/outcome", Map.of("answered_by", "human", "summary", "Picked up after all."));
        assertThat(second.status()).as(second.text()).isEqualTo(200);

        var shown = setup.api().get("/calls/" + id).json();
        assertThat(shown.get("answered_by").asString()).isEqualTo("human");
        assertThat(shown.get("disposition").asString()).isEqualTo("left_message");
        assertThat(shown.get("sentiment_score").asDouble()).isEqualTo(-0.5);
        assertThat(shown.get("summary").asString()).isEqualTo("Picked up after all.");
        assertThat(shown.get("language_detected").isNull()).isTrue();

        var events = setup.api().get("/calls/" + id + "/events").json().get("data");
        var types = events.valueStream().map(e -> e.get("type").asString()).toList();
        assertThat(types)
                .containsExactly(
                        "status_changed", "status_changed", "status_changed", "outcome_reported", "outcome_reported");
        var sequences = events.valueStream().map(e -> e.get("sequence").asInt()).toList();
        assertThat(sequences).containsExactly(1, 2, 3, 4, 5);
        var reports = events.valueStream()
                .filter(e -> e.get("type").asString().equals("outcome_reported"))
                .toList();
        assertThat(reports.get(0).get("outcome"))
                .isEqualTo(
                        JSON.readTree(
                                "{\"answered_by\":\"machine_voicemail\",\"disposition\":\"left_message\",\"sentiment_score\":-0.5}"));
        assertThat(reports.get(0).get("status").asString()).isEqualTo("in_progress");
        assertThat(reports.get(0).get("cause").asString()).contains("report token");
        assertThat(reports.get(1).get("outcome"))
                .isEqualTo(JSON.readTree("{\"answered_by\":\"human\",\"summary\":\"Picked up after all.\"}"));
        assertThat(reports.get(1).get("cause").asString()).contains("API key dp_");
        assertThat(events.get(0).has("outcome"))
                .as("a state change has no outcome")
                .isFalse();

        // after the call ended too; its end keeps the numbering
        assertThat(setup.api().post("/calls/" + id + "/hangup").status()).isEqualTo(200);
        var late = agentReports(job, Map.of("disposition", "callback_requested"));
        assertThat(late.status()).as(late.text()).isEqualTo(200);
        assertThat(late.json().get("disposition").asString()).isEqualTo("callback_requested");
        assertThat(late.json().get("status").asString()).isEqualTo("completed");
        var after = setup.api().get("/calls/" + id + "/events").json().get("data");
        assertThat(after.get(6).get("type").asString()).isEqualTo("outcome_reported");
        assertThat(after.get(6).get("sequence").asInt()).isEqualTo(7);
        assertThat(after.get(6).get("status").asString()).isEqualTo("completed");
    }

    @Test
    void invalidReportsAre422sNamingEachFieldAndChangeNothing() {
        var setup = newSetup();
        var call = answeredCall(setup, "+12025550123");
        var id = call.get("id").asString();
        var job = agentJob(call);
        var api = setup.api();

        var bad = api.post(
                "/calls/" + id + "/outcome",
                Map.of(
                        "answered_by", "robot",
                        "disposition", "two\nlines",
                        "summary", "s".repeat(4097),
                        "sentiment_score", 1.5,
                        "language_detected", "english please"));
        assertThat(bad.status()).as(bad.text()).isEqualTo(422);
        assertThat(bad.json().get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(fields(bad.json()))
                .containsExactly("answered_by", "disposition", "language_detected", "sentiment_score", "summary");
        assertThat(message(bad.json(), "answered_by")).contains("human, machine_ivr");

        var empty = agentReports(job, Map.of());
        assertThat(empty.status()).as(empty.text()).isEqualTo(422);
        assertThat(fields(empty.json())).containsExactly("body");
        var allNull = new java.util.LinkedHashMap<String, Object>();
        allNull.put("disposition", null);
        assertThat(agentReports(job, allNull).status()).isEqualTo(422);

        assertThat(fields(
                        agentReports(job, Map.of("disposition", "d".repeat(65))).json()))
                .containsExactly("disposition");
        assertThat(fields(agentReports(job, Map.of("disposition", " ")).json())).containsExactly("disposition");
        assertThat(fields(agentReports(job, Map.of("sentiment_score", -1.01)).json()))
                .containsExactly("sentiment_score");
        assertThat(fields(
                        agentReports(job, Map.of("language_detected", "en_US")).json()))
                .containsExactly("language_detected");
        assertThat(fields(agentReports(job, Map.of("summary", "a\u0000b")).json()))
                .containsExactly("summary");

        var unchanged = api.get("/calls/" + id).json();
        assertThat(unchanged.get("outcome_reported_at").isNull()).isTrue();
        assertThat(api.get("/calls/" + id + "/events").json().get("data").valueStream())
                .noneMatch(e -> e.get("type").asString().equals("outcome_reported"));

        // the edges are allowed
        var edges = agentReports(
                job,
                Map.of(
                        "sentiment_score",
                        -1,
                        "summary",
                        "s".repeat(4096),
                        "disposition",
                        "d".repeat(64),
                        "language_detected",
                        "zh-Hant-TW",
                        "answered_by",
                        "machine_unavailable"));
        assertThat(edges.status()).as(edges.text()).isEqualTo(200);
        assertThat(edges.json().get("language_detected").asString()).isEqualTo("zh-Hant-TW");
    }

    @Test
    void aTokenWorksForItsOwnCallOnly() {
        var setup = newSetup();
        var call = answeredCall(setup, "+12025550123");
        var other = answeredCall(setup, "+12025550124");
        var job = agentJob(call);
        var otherId = other.get("id").asString();

        var onOther =
                anonymous().withKey(job.token()).post("/calls/" + otherId + "/outcome", Map.of("answered_by", "human"));
        assertThat(onOther.status()).as(onOther.text()).isEqualTo(404);
        assertThat(onOther.json().get("code").asString()).isEqualTo("CALL_NOT_FOUND");
        var unknown = anonymous()
                .withKey(job.token())
                .post("/calls/" + UUID.randomUUID() + "/outcome", Map.of("answered_by", "human"));
        assertThat(unknown.status()).isEqualTo(404);

        // another organization's call: its token and its key are no use here
        var stranger = newSetup();
        var strangerCall = answeredCall(stranger, "+12025550125");
        var strangerJob = agentJob(strangerCall);
        var path = "/calls/" + call.get("id").asString() + "/outcome";
        assertThat(anonymous()
                        .withKey(strangerJob.token())
                        .post(path, Map.of("answered_by", "human"))
                        .status())
                .isEqualTo(404);
        assertThat(stranger.api().post(path, Map.of("answered_by", "human")).status())
                .isEqualTo(404);

        var forged = anonymous().withKey(job.token() + "x").post(path, Map.of("answered_by", "human"));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().get("code").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(anonymous()
                        .withKey("dprt_nothing")
                        .post(path, Map.of("answered_by", "human"))
                        .status())
                .isEqualTo(401);
        assertThat(anonymous().post(path, Map.of("answered_by", "human")).status())
                .isEqualTo(401);
        // refused before the body is read
        assertThat(anonymous().send("POST", path, "application/json", "{broken").status())
                .isEqualTo(401);
        // a token is not an API key anywhere else
        assertThat(anonymous()
                        .withKey(job.token())
                        .get("/calls/" + call.get("id").asString())
                        .status())
                .isEqualTo(401);

        assertThat(setup.api()
                        .get("/calls/" + otherId)
                        .json()
                        .get("answered_by")
                        .isNull())
                .isTrue();
        assertThat(agentReports(job, Map.of("answered_by", "human")).status()).isEqualTo(200);
    }

    @Test
    void aTokenExpires24HoursAfterItsCallEndedWhileTheApiKeyStillWorks() {
        var setup = newSetup();
        var call = answeredCall(setup, "+12025550123");
        var id = call.get("id").asString();
        var job = agentJob(call);
        // a live call's token holds however long the call lasts
        clock.advance(Duration.ofHours(30));
        assertThat(agentReports(job, Map.of("answered_by", "human")).status()).isEqualTo(200);
        clock.reset();

        var ended = setup.api().post("/calls/" + id + "/hangup");
        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
        var endedAt = java.time.Instant.parse(ended.json().get("ended_at").asString());

        clock.advance(Duration.between(
                clock.instant(), endedAt.plus(Duration.ofHours(24)).minusSeconds(1)));
        var inTime = agentReports(job, Map.of("disposition", "interested"));
        assertThat(inTime.status()).as(inTime.text()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(1));
        var late = agentReports(job, Map.of("disposition", "not_interested"));
        assertThat(late.status()).as(late.text()).isEqualTo(401);
        assertThat(late.json().get("code").asString()).isEqualTo("REPORT_TOKEN_EXPIRED");
        assertThat(late.header("WWW-Authenticate")).isEqualTo("Bearer");

        var byKey = setup.api().post("/calls/" + id + "/outcome", Map.of("disposition", "not_interested"));
        assertThat(byKey.status()).as(byKey.text()).isEqualTo(200);
        assertThat(byKey.json().get("disposition").asString()).isEqualTo("not_interested");
    }

    @Test
    void aDoNotCallDispositionPutsTheNumberOnTheOrganizationsListSoItIsNotCalledAgain() {
        var setup = newSetup();
        var callee = "+12025550131";
        var call = answeredCall(setup, callee);

        var optOut = agentReports(agentJob(call), Map.of("answered_by", "human", "disposition", "do_not_call"));
        assertThat(optOut.status()).as(optOut.text()).isEqualTo(200);
        assertThat(optOut.json().get("disposition").asString()).isEqualTo("do_not_call");

        var listed = setup.api().get("/dnc?number=" + query(callee)).json().get("data");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).get("number").asString()).isEqualTo(callee);
        assertThat(listed.get(0).get("source").asString()).isEqualTo("agent");
        assertThat(listed.get(0).get("reason").asString())
                .contains(call.get("id").asString());

        var again = setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", callee));
        assertThat(again.status()).as(again.text()).isEqualTo(422);
        assertThat(again.json().get("code").asString()).isEqualTo("NUMBER_ON_DNC");
        // a second opt-out report changes nothing on the list; another organization's list is its own
        assertThat(agentReports(agentJob(call), Map.of("disposition", "do_not_call"))
                        .status())
                .isEqualTo(200);
        assertThat(setup.api()
                        .get("/dnc?number=" + query(callee))
                        .json()
                        .get("data")
                        .size())
                .isEqualTo(1);
        var stranger = newSetup();
        assertThat(stranger.api()
                        .get("/dnc?number=" + query(callee))
                        .json()
                        .get("data")
                        .size())
                .isZero();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
