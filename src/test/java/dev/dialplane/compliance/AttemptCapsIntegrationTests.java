package dev.dialplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Attempt caps per number: a call over the organization's cap is refused with 429 and a
 * Retry-After that says when the oldest counted attempt leaves its period, nothing is stored or
 * dialed, and concurrent requests never get past the cap together.
 */
class AttemptCapsIntegrationTests extends LiveKitIntegrationTest {

    @Autowired
    MeterRegistry meters;

    private static void caps(Setup setup, Object caps) {
        var response = setup.api().put("/compliance-policy", Map.of("max_attempts_per_number", caps));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static Api.Response call(Setup setup, String to) {
        return setup.api().post("/calls/outbound", body("agent_id", setup.agentId(), "to_number", to));
    }

    private static void assertPlaced(Api.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private double refusals() {
        var counter = meters.find("dialplane.calls.refused")
                .tag("reason", "attempt_limit_reached")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static int callsTo(Setup setup, String number) {
        var calls = setup.api().get("/calls?limit=100").json().get("data");
        var count = 0;
        for (var call : calls) {
            if (call.get("to_number").asString().equals(number)) {
                count++;
            }
        }
        return count;
    }

    @Test
    void theCallOverTheDailyCapIsRefusedUntilTheOldestAttemptIsADayOld() {
        var setup = newSetup();
        caps(setup, Map.of("per_24h", 3));
        var number = "+12025550140";
        setClock(Instant.parse("2027-01-12T10:00:00Z"));
        assertPlaced(call(setup, number));
        setClock(Instant.parse("2027-01-12T11:00:00Z"));
        assertPlaced(call(setup, number));
        assertPlaced(call(setup, number));
        var before = refusals();

        setClock(Instant.parse("2027-01-12T12:00:00Z"));
        var refused = call(setup, number);
        assertThat(refused.status()).as(refused.text()).isEqualTo(429);
        assertThat(refused.json().get("code").asString()).isEqualTo("ATTEMPT_LIMIT_REACHED");
        // the first call was dialed at 10:00 (and a few milliseconds: the clock runs on from each
        // instant set): it leaves the 24 h period at 10:00 the next day, rounded up to the second
        assertThat(refused.json().get("next_allowed_at").asString()).isEqualTo("2027-01-13T10:00:01Z");
        assertThat(Long.parseLong(refused.header("Retry-After")))
                .isEqualTo(Duration.ofHours(22).plusSeconds(1).toSeconds());
        assertThat(refused.json().get("detail").asString()).contains(number, "3 per 24 h");
        assertThat(callsTo(setup, number)).as("a refused call is not stored").isEqualTo(3);
        assertThat(refusals()).isEqualTo(before + 1);

        assertPlaced(call(setup, "+12025550141"));

        setClock(Instant.parse("2027-01-13T10:00:01Z"));
        assertPlaced(call(setup, number));
    }

    @Test
    void theWeeklyCapCountsSevenDays() {
        var setup = newSetup();
        caps(setup, Map.of("per_24h", 2, "per_7d", 2));
        var number = "+12025550142";
        setClock(Instant.parse("2027-01-12T10:00:00Z"));
        assertPlaced(call(setup, number));
        assertPlaced(call(setup, number));

        setClock(Instant.parse("2027-01-14T10:00:00Z"));
        var refused = call(setup, number);
        assertThat(refused.status()).as(refused.text()).isEqualTo(429);
        assertThat(refused.json().get("next_allowed_at").asString()).isEqualTo("2027-01-19T10:00:01Z");

        setClock(Instant.parse("2027-01-19T10:00:01Z"));
        assertPlaced(call(setup, number));
    }

    @Test
    void callsStillWaitingInTheQueueCount() {
        var setup = newSetup();
        caps(setup, Map.of("per_24h", 1));
        var paused = setup.api().patch("/sip-trunks/" + setup.trunkId(), Map.of("max_channels", 0));
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        var number = "+12025550143";
        var queued = call(setup, number);
        assertPlaced(queued);
        assertThat(queued.json().get("status").asString()).isEqualTo("queued");
        assertThat(call(setup, number).status()).isEqualTo(429);

        // canceled before it was dialed: it never reached dialing, so it no longer counts
        var id = queued.json().get("call_id").asString();
        assertThat(setup.api().post("/calls/" + id + "/hangup").status()).isEqualTo(200);
        assertPlaced(call(setup, number));
    }

    @Test
    void theTalkifaiRouteAnswers429InItsEnvelope() {
        var setup = newSetup();
        caps(setup, Map.of("per_24h", 1));
        var number = "+12025550144";
        assertPlaced(call(setup, number));
        var refused = setup.api()
                .post("/telephony/outbound-call?to_number=" + query(number) + "&from_number="
                        + query(setup.fromNumber()));
        assertThat(refused.status()).as(refused.text()).isEqualTo(429);
        assertThat(refused.json().get("success").asBoolean()).isFalse();
        assertThat(refused.json().get("code").asString()).isEqualTo("ATTEMPT_LIMIT_REACHED");
        assertThat(refused.header("Retry-After")).isNotNull();
    }

    @Test
    void twentyConcurrentRequestsToOneNumberDialExactlyThree() throws Exception {
        var setup = newSetup();
        caps(setup, Map.of("per_24h", 3));
        var number = "+12025550145";
        var start = new CountDownLatch(1);
        var responses = new ArrayList<Future<Api.Response>>();
        try (var executor = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                responses.add(executor.submit(() -> {
                    start.await();
                    return call(setup, number);
                }));
            }
            start.countDown();
        }
        var placed = new ArrayList<String>();
        var refused = 0;
        for (var future : responses) {
            var response = future.get();
            if (response.status() == 200) {
                placed.add(response.json().get("room_name").asString());
            } else {
                assertThat(response.status()).as(response.text()).isEqualTo(429);
                refused++;
            }
        }
        assertThat(placed).hasSize(3);
        assertThat(refused).isEqualTo(17);
        assertThat(callsTo(setup, number)).isEqualTo(3);
        for (var room : placed) {
            awaitDialedOnce(room);
        }
        assertThat(LIVEKIT.requests("SIP", "CreateSIPParticipant").stream()
                        .filter(r -> r.body() != null && r.body().toString().contains(number.substring(1))))
                .hasSize(3);
    }

    @Test
    void withoutCapsEveryCallGoesOut() {
        var setup = newSetup();
        var number = "+12025550146";
        var rooms = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            var response = call(setup, number);
            assertPlaced(response);
            rooms.add(response.json().get("room_name").asString());
        }
        assertThat(List.copyOf(rooms)).doesNotHaveDuplicates();
    }
}
