package dev.dialplane.calls.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.calls.CallDialect;
import dev.dialplane.calls.CallOptions;
import dev.dialplane.calls.CallPriority;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.PlaceCall;
import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Idempotency-Key on both call-creating routes: one call per key and request, whatever the retries. */
class IdempotencyIntegrationTests extends LiveKitIntegrationTest {

    private static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CallService calls;

    @Test
    void aRetriedRequestGetsTheFirstResponseAndDialsNobodyAgain() {
        var setup = newSetup();
        var key = UUID.randomUUID().toString();
        var request = body("agent_id", setup.agentId(), "to_number", "+12025550123", "wait_until_answered", true);

        var first = setup.api().withHeader("Idempotency-Key", key).post("/calls/outbound", request);
        var retry = setup.api().withHeader("Idempotency-Key", key).post("/calls/outbound", request);

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.header("X-Call-Id")).isEqualTo(first.header("X-Call-Id"));
        assertThat(callsOf(setup)).isEqualTo(1);
        dialedOnce(first.json().get("room_name").asString());
    }

    @Test
    void theSameJsonInAnotherKeyOrderIsTheSameRequest() {
        var setup = newSetup();
        var key = "order-" + UUID.randomUUID();
        var first = setup.api()
                .withHeader("Idempotency-Key", key)
                .send(
                        "POST",
                        "/calls/outbound",
                        "application/json",
                        "{\"agent_id\": \"" + setup.agentId()
                                + "\", \"to_number\": \"+12025550123\", \"context\": {\"a\": 1, \"b\": 2}}");
        var retry = setup.api()
                .withHeader("Idempotency-Key", key)
                .send(
                        "POST",
                        "/calls/outbound",
                        "application/json",
                        "{\"context\":{\"b\":2,\"a\":1},\"to_number\":\"+12025550123\",\"agent_id\":\""
                                + setup.agentId() + "\"}");
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json().get("call_id").asString())
                .isEqualTo(first.json().get("call_id").asString());
    }

    @Test
    void theSameKeyWithADifferentRequestIs422() {
        var setup = newSetup();
        var key = UUID.randomUUID().toString();
        setup.api()
                .withHeader("Idempotency-Key", key)
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550123"));

        var other = setup.api()
                .withHeader("Idempotency-Key", key)
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550124"));

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(other.json().get("code").asString()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(callsOf(setup)).isEqualTo(1);
    }

    @Test
    void fiftyConcurrentIdenticalRequestsMakeOneCall() throws Exception {
        var setup = newSetup();
        var key = UUID.randomUUID().toString();
        var request = body("agent_id", setup.agentId(), "to_number", "+12025550123");
        var start = new CountDownLatch(1);
        var responses = new ArrayList<Api.Response>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<Api.Response>>();
            for (int i = 0; i < 50; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return setup.api().withHeader("Idempotency-Key", key).post("/calls/outbound", request);
                }));
            }
            start.countDown();
            for (var future : futures) {
                responses.add(future.get());
            }
        }

        assertThat(responses).extracting(Api.Response::status).containsOnly(200);
        assertThat(responses)
                .extracting(r -> r.json().get("call_id").asString())
                .containsOnly(responses.getFirst().json().get("call_id").asString());
        assertThat(responses.stream().filter(r -> r.header("Idempotent-Replayed") == null))
                .hasSize(1);
        assertThat(callsOf(setup)).isEqualTo(1);
        awaitCall(setup.api(), responses.getFirst().json().get("call_id").asString(), "in_progress");
        dialedOnce(responses.getFirst().json().get("room_name").asString());
    }

    @Test
    void theTalkifaiRouteReplaysItsOutcomeToo() {
        var setup = newSetup();
        LIVEKIT.onDial("+12025550101", DialScript.sipFailure(486, "Busy Here"));
        var api = setup.api().withHeader("Idempotency-Key", "talkifai-" + UUID.randomUUID());
        var path = "/telephony/outbound-call?to_number=%2B12025550101&from_number=" + query(setup.fromNumber());

        var first = api.post(path);
        var retry = api.post(path);

        assertThat(first.status()).isEqualTo(409);
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("X-Call-Id")).isEqualTo(first.header("X-Call-Id"));
        assertThat(callsOf(setup)).isEqualTo(1);
        var otherNumber =
                api.post("/telephony/outbound-call?to_number=%2B12025550102&from_number=" + query(setup.fromNumber()));
        assertThat(otherNumber.status()).isEqualTo(422);
        assertThat(otherNumber.json().get("success").asBoolean()).isFalse();
        assertThat(otherNumber.json().get("code").asString()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void aRefusedRequestDoesNotUseUpItsKey() {
        var setup = newSetup();
        var key = UUID.randomUUID().toString();
        var invalid = setup.api()
                .withHeader("Idempotency-Key", key)
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "2025550123"));
        assertThat(invalid.status()).isEqualTo(422);

        var corrected = setup.api()
                .withHeader("Idempotency-Key", key)
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550123"));
        assertThat(corrected.status()).isEqualTo(200);
        assertThat(corrected.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void keysBelongToOneOrganizationAndExpireAfterADay() {
        var a = newSetup();
        var b = newSetup();
        var key = UUID.randomUUID().toString();
        var first = a.api()
                .withHeader("Idempotency-Key", key)
                .post("/calls/outbound", body("agent_id", a.agentId(), "to_number", "+12025550123"));
        var elsewhere = b.api()
                .withHeader("Idempotency-Key", key)
                .post("/calls/outbound", body("agent_id", b.agentId(), "to_number", "+12025550123"));
        assertThat(elsewhere.header("Idempotent-Replayed")).isNull();
        assertThat(elsewhere.json().get("call_id").asString())
                .isNotEqualTo(first.json().get("call_id").asString());

        clock.advance(Duration.ofHours(25));
        var later = a.api()
                .withHeader("Idempotency-Key", key)
                .post("/calls/outbound", body("agent_id", a.agentId(), "to_number", "+12025550123"));
        assertThat(later.header("Idempotent-Replayed")).isNull();
        assertThat(callsOf(a)).isEqualTo(2);
    }

    @Test
    void malformedKeysAreRefusedInEachDialect() {
        var setup = newSetup();
        var tooLong = setup.api()
                .withHeader("Idempotency-Key", "k".repeat(256))
                .post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", "+12025550123"));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("code").asString()).isEqualTo("INVALID_IDEMPOTENCY_KEY");
        var spaces = setup.api()
                .withHeader("Idempotency-Key", "has spaces")
                .post("/telephony/outbound-call?to_number=%2B12025550123&from_number=" + query(setup.fromNumber()));
        assertThat(spaces.status()).isEqualTo(400);
        assertThat(spaces.json().get("success").asBoolean()).isFalse();
        assertThat(callsOf(setup)).isZero();
    }

    @Test
    void aKeyWhoseRequestDiedWithItsNodeIsTakenOverByTheRetryWhichGetsTheStoredCall() throws Exception {
        var setup = newSetup();
        var key = "died-" + UUID.randomUUID();
        var request = body("agent_id", setup.agentId().toString(), "to_number", "+12025550125");
        // what the dead node left: the call stored (and dialed) under the key, the key in flight, its owner gone
        var stored = calls.place(new PlaceCall(
                new Tenant(setup.org().id()),
                CallDialect.MRASSISTANT,
                setup.agentId(),
                "+12025550125",
                null,
                CallPriority.NORMAL,
                CallOptions.defaults(80).withoutWaiting(),
                null,
                false,
                key,
                null,
                null));
        orphanedKey(setup, key, request);

        var retry = setup.api().withHeader("Idempotency-Key", key).post("/calls/outbound", request);

        assertThat(retry.status()).as(retry.text()).isEqualTo(200);
        assertThat(retry.json().get("call_id").asString()).isEqualTo(stored.id().toString());
        assertThat(callsOf(setup)).isEqualTo(1);
        awaitCall(setup.api(), stored.id().toString(), "in_progress");
        dialedOnce(stored.roomName());
        // the key is settled now: a further retry is a replay
        var again = setup.api().withHeader("Idempotency-Key", key).post("/calls/outbound", request);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("call_id").asString()).isEqualTo(stored.id().toString());
    }

    @Test
    void aKeyWhoseRequestDiedBeforeStoringACallIsTakenOverAndPlacesItOnce() throws Exception {
        var setup = newSetup();
        var key = "died-early-" + UUID.randomUUID();
        var request = body("agent_id", setup.agentId().toString(), "to_number", "+12025550126");
        orphanedKey(setup, key, request);

        var retries = new ArrayList<Api.Response>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<Api.Response>>();
            for (int i = 0; i < 5; i++) {
                futures.add(executor.submit(
                        () -> setup.api().withHeader("Idempotency-Key", key).post("/calls/outbound", request)));
            }
            for (var future : futures) {
                retries.add(future.get());
            }
        }

        assertThat(retries).allSatisfy(r -> assertThat(r.status()).as(r.text()).isEqualTo(200));
        assertThat(retries.stream().map(r -> r.json().get("call_id").asString()).distinct())
                .hasSize(1);
        assertThat(callsOf(setup)).isEqualTo(1);
        awaitCall(setup.api(), retries.getFirst().json().get("call_id").asString(), "in_progress");
        dialedOnce(retries.getFirst().json().get("room_name").asString());
    }

    @Test
    void aKeyWhoseOwnerIsAliveIsNotTakenOver() {
        var setup = newSetup();
        var key = "alive-" + UUID.randomUUID();
        var request = body("agent_id", setup.agentId().toString(), "to_number", "+12025550127");
        orphanedKey(setup, key, request);
        jdbc.sql("update idempotency_keys set owner_until = :until where idempotency_key = :key")
                .param(
                        "until",
                        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(10))
                .param("key", key)
                .update();
        // the first request still runs somewhere: a retry waits for it (and gives up with 409 after
        // 100 s); here the owner answers meanwhile
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            // unchecked: the stored response below is made up by the test, not one Dialplane writes
            var retry = executor.submit(() ->
                    setup.api().unchecked().withHeader("Idempotency-Key", key).post("/calls/outbound", request));
            org.awaitility.Awaitility.await()
                    .during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> !retry.isDone());
            jdbc.sql("""
                            update idempotency_keys set state = 'completed', response_status = 200, response_type = 'application/json',
                              response_body = '{"owner":"answered"}' where idempotency_key = :key""").param("key", key).update();
            var response = retry.get();
            assertThat(response.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(response.text()).isEqualTo("{\"owner\":\"answered\"}");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(callsOf(setup)).isZero();
    }

    /** The idempotency key row a node that died mid-request leaves: in flight, its owner's time run out. */
    private void orphanedKey(Setup setup, String key, java.util.Map<String, Object> body) {
        var http = new org.springframework.mock.web.MockHttpServletRequest("POST", "/calls/outbound");
        var fingerprint = IdempotencyFilter.fingerprint(http, JSON.writeValueAsBytes(body));
        jdbc.sql("""
                        insert into idempotency_keys (organization_id, idempotency_key, fingerprint, state, created_at, expires_at, owner_until)
                        values (:org, :key, :fingerprint, 'in_flight', :now, :expires, :owner)""")
                .param("org", setup.org().id())
                .param("key", key)
                .param("fingerprint", fingerprint)
                .param("now", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC))
                .param(
                        "expires",
                        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(24))
                .param(
                        "owner",
                        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(1))
                .update();
    }

    private long callsOf(Setup setup) {
        return jdbc.sql("select count(*) from calls where organization_id = :org")
                .param("org", setup.org().id())
                .query(Long.class)
                .single();
    }
}
