package dev.dialplane.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.calls.CallStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebhookEventTypeTests {

    @Test
    void everyCallStatusHasItsEvent() {
        assertThat(WebhookEventType.forCall(CallStatus.QUEUED)).hasToString("call.queued");
        assertThat(WebhookEventType.forCall(CallStatus.DIALING)).hasToString("call.dialing");
        assertThat(WebhookEventType.forCall(CallStatus.RINGING)).hasToString("call.ringing");
        assertThat(WebhookEventType.forCall(CallStatus.IN_PROGRESS)).hasToString("call.answered");
        assertThat(WebhookEventType.forCall(CallStatus.COMPLETED)).hasToString("call.completed");
        for (var unanswered :
                new CallStatus[] {CallStatus.BUSY, CallStatus.NO_ANSWER, CallStatus.FAILED, CallStatus.CANCELED}) {
            assertThat(WebhookEventType.forCall(unanswered))
                    .as(unanswered.toString())
                    .hasToString("call.failed");
        }
    }

    /** A call reaches a terminal status once, so it has exactly one terminal event. */
    @Test
    void onlyTerminalStatusesMapToTerminalEvents() {
        for (var status : CallStatus.values()) {
            var type = WebhookEventType.forCall(status);
            var terminalEvent = type == WebhookEventType.CALL_COMPLETED || type == WebhookEventType.CALL_FAILED;
            assertThat(terminalEvent).as(status.toString()).isEqualTo(status.isTerminal());
        }
    }

    /** A TalkifAI endpoint hears of a call when it is answered and when it ends: started and ended, or failed alone. */
    @Test
    void talkifaiEndpointsGetStartedOnTheAnswerAndOneTerminalEvent() {
        assertThat(WebhookEventType.forTalkifaiCall(CallStatus.IN_PROGRESS)).contains(WebhookEventType.CALL_STARTED);
        assertThat(WebhookEventType.forTalkifaiCall(CallStatus.COMPLETED)).contains(WebhookEventType.CALL_ENDED);
        for (var status : CallStatus.values()) {
            var type = WebhookEventType.forTalkifaiCall(status);
            type.ifPresent(t -> assertThat(t.sentIn(WebhookFormat.TALKIFAI)).isTrue());
            if (status.isTerminal() && status != CallStatus.COMPLETED) {
                assertThat(type).as(status.toString()).contains(WebhookEventType.CALL_FAILED);
            }
            if (!status.isTerminal() && status != CallStatus.IN_PROGRESS) {
                assertThat(type).as(status.toString()).isEmpty();
            }
        }
        assertThat(WebhookEventType.namesIn(WebhookFormat.TALKIFAI))
                .containsExactlyInAnyOrder(
                        "call.started", "call.ended", "call.failed", "credit.low", "credit.depleted");
    }

    @Test
    void storedNamesReadBack() {
        assertThat(Arrays.stream(WebhookEventType.values()).map(t -> WebhookEventType.fromDatabase(t.toString())))
                .containsExactly(WebhookEventType.values());
    }
}
