package dev.dialplane.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.E164;
import dev.dialplane.fakelivekit.RecordedRequest;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Campaign drafts through Dialplane's own route: {@code POST /campaigns} with {@code draft: true}
 * stores the campaign and calls nobody; {@code POST /campaigns/{id}/start} runs it, or schedules
 * it when its start lies ahead; the core's reschedule moves a draft's or scheduled campaign's start.
 */
class CampaignDraftIntegrationTests extends LiveKitIntegrationTest {

    private static final AtomicInteger CALLEES = new AtomicInteger();

    @Autowired
    CampaignDriver driver;

    @Autowired
    CampaignService service;

    private static String callee() {
        return "+1917555" + (3000 + CALLEES.getAndIncrement() % 7000);
    }

    private static JsonNode create(Setup setup, String number, Object... extra) {
        var request =
                body("agent_id", setup.agentId(), "name", "Drafted", "targets", List.of(Map.of("to_number", number)));
        request.putAll(body(extra));
        var created = setup.api().post("/campaigns", request);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return created.json();
    }

    private static List<RecordedRequest> dials(Setup setup, String number) {
        return LIVEKIT.requests("SIP", "CreateSIPParticipant").stream()
                .filter(r -> r.body() != null
                        && r.body()
                                .toString()
                                .contains("outbound_" + setup.agentId() + "_" + E164.digits(number) + "_"))
                .toList();
    }

    /** The campaign's events as {@code type:from>to}. */
    private static List<String> events(Setup setup, String id) {
        var response = setup.api().get("/campaigns/" + id + "/events");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json()
                .get("data")
                .valueStream()
                .map(e -> e.get("type").asString() + ":"
                        + (e.get("from_status").isNull()
                                ? "null"
                                : e.get("from_status").asString()) + ">"
                        + e.get("to_status").asString())
                .toList();
    }

    @Test
    void aDraftCallsNobodyUntilStarted() {
        var setup = newSetup();
        var number = callee();
        var draft = create(setup, number, "draft", true);
        assertThat(draft.get("status").asString()).isEqualTo("draft");
        assertThat(draft.get("started_at").isNull()).isTrue();
        driver.pass();
        assertThat(dials(setup, number)).isEmpty();
        var id = draft.get("campaign_id").asString();
        // a draft is neither paused nor resumed, only started or canceled
        assertThat(setup.api()
                        .post("/campaigns/" + id + "/pause")
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("CAMPAIGN_STATE_CONFLICT");

        var started = setup.api().post("/campaigns/" + id + "/start");
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        assertThat(started.json().get("status").asString()).isEqualTo("running");
        assertThat(started.json().get("started_at").isNull()).isFalse();
        Awaitility.await().atMost(WAIT).until(() -> dials(setup, number).size() == 1);
        // both changes are events of the campaign, through CampaignTransitions
        assertThat(events(setup, id)).containsExactly("created:null>draft", "started:draft>running");
        var again = setup.api().post("/campaigns/" + id + "/start");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asString()).isEqualTo("CAMPAIGN_STATE_CONFLICT");
        setup.api().post("/campaigns/" + id + "/cancel");
    }

    @Test
    void withoutDraftACampaignRunsAtOnceAsBefore() {
        var setup = newSetup();
        var number = callee();
        var created = create(setup, number, "draft", false);
        assertThat(created.get("status").asString()).isEqualTo("running");
        Awaitility.await().atMost(WAIT).until(() -> dials(setup, number).size() == 1);
        var start = setup.api().post("/campaigns/" + created.get("campaign_id").asString() + "/start");
        assertThat(start.status()).isEqualTo(409);
        setup.api().post("/campaigns/" + created.get("campaign_id").asString() + "/cancel");
    }

    @Test
    void aDraftWhoseStartLiesAheadIsScheduledWhenStartedAndCanBeRescheduled() {
        var setup = newSetup();
        var number = callee();
        var at = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        var draft = create(setup, number, "draft", true, "schedule_at", at.toString());
        var id = UUID.fromString(draft.get("campaign_id").asString());
        var started = setup.api().post("/campaigns/" + id + "/start");
        assertThat(started.json().get("status").asString()).isEqualTo("scheduled");
        assertThat(started.json().get("scheduled_at").asString()).isEqualTo(at.toString());

        var tenant = new Tenant(setup.org().id());
        var later = at.plus(Duration.ofHours(1));
        var moved = service.reschedule(tenant, id, later, null);
        assertThat(moved.status()).isEqualTo(CampaignStatus.SCHEDULED);
        assertThat(moved.scheduleAt()).isEqualTo(later);
        try {
            service.reschedule(tenant, id, clock.instant().minusSeconds(1), null);
            throw new AssertionError("a start in the past was accepted");
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(CampaignService.SCHEDULE_IN_PAST);
            assertThat(e.status().value()).isEqualTo(422);
        }

        assertThat(events(setup, id.toString()))
                .containsExactly("created:null>draft", "scheduled:draft>scheduled", "scheduled:scheduled>scheduled");

        setClock(at.plusSeconds(1));
        driver.pass();
        assertThat(dials(setup, number)).isEmpty();
        setClock(later.plusSeconds(1));
        Awaitility.await().atMost(WAIT).until(() -> dials(setup, number).size() == 1);
        setup.api().post("/campaigns/" + id + "/cancel");
    }

    @Test
    void aCanceledDraftIsNeverCalled() {
        var setup = newSetup();
        var number = callee();
        var draft = create(setup, number, "draft", true);
        var id = draft.get("campaign_id").asString();
        var canceled = setup.api().post("/campaigns/" + id + "/cancel");
        assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);
        assertThat(canceled.json().get("contacts").get("canceled").asInt()).isEqualTo(1);
        assertThat(setup.api()
                        .post("/campaigns/" + id + "/start")
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("CAMPAIGN_ENDED");
        driver.pass();
        assertThat(dials(setup, number)).isEmpty();
    }
}
