package dev.dialplane.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CallStatusTests {

    @ParameterizedTest
    @EnumSource(
            value = CallStatus.class,
            names = {"COMPLETED", "BUSY", "NO_ANSWER", "FAILED", "CANCELED"})
    void terminalStatusesAreFinal(CallStatus terminal) {
        assertThat(terminal.isTerminal()).isTrue();
        assertThat(Arrays.stream(CallStatus.values()).filter(terminal::canTransitionTo))
                .isEmpty();
    }

    @Test
    void queuedCallsDialOrEndWithoutAnswer() {
        assertThat(allowedFrom(CallStatus.QUEUED))
                .containsExactlyInAnyOrder(CallStatus.DIALING, CallStatus.FAILED, CallStatus.CANCELED);
    }

    @Test
    void dialingCallsRingAnswerFailOrGoBackToTheQueue() {
        // back to queued only for a retry after the carrier refused for capacity
        assertThat(allowedFrom(CallStatus.DIALING))
                .containsExactlyInAnyOrder(
                        CallStatus.QUEUED,
                        CallStatus.RINGING,
                        CallStatus.IN_PROGRESS,
                        CallStatus.BUSY,
                        CallStatus.NO_ANSWER,
                        CallStatus.FAILED,
                        CallStatus.CANCELED);
        assertThat(allowedFrom(CallStatus.RINGING))
                .containsExactlyInAnyOrder(
                        CallStatus.IN_PROGRESS,
                        CallStatus.BUSY,
                        CallStatus.NO_ANSWER,
                        CallStatus.FAILED,
                        CallStatus.CANCELED);
    }

    @Test
    void answeredCallsCanOnlyComplete() {
        assertThat(allowedFrom(CallStatus.IN_PROGRESS)).containsExactly(CallStatus.COMPLETED);
    }

    @Test
    void nothingMovesBackwards() {
        assertThat(CallStatus.RINGING.canTransitionTo(CallStatus.QUEUED)).isFalse();
        assertThat(CallStatus.IN_PROGRESS.canTransitionTo(CallStatus.RINGING)).isFalse();
        assertThat(CallStatus.RINGING.canTransitionTo(CallStatus.DIALING)).isFalse();
        assertThat(CallStatus.IN_PROGRESS.canTransitionTo(CallStatus.IN_PROGRESS))
                .isFalse();
    }

    @Test
    void outcomeMeansAnsweredOrOver() {
        assertThat(EnumSet.allOf(CallStatus.class).stream().filter(CallStatus::isOutcome))
                .containsExactlyInAnyOrder(
                        CallStatus.IN_PROGRESS,
                        CallStatus.COMPLETED,
                        CallStatus.BUSY,
                        CallStatus.NO_ANSWER,
                        CallStatus.FAILED,
                        CallStatus.CANCELED);
    }

    @Test
    void wireNamesAreSnakeCase() {
        assertThat(CallStatus.IN_PROGRESS).hasToString("in_progress");
        assertThat(CallStatus.fromDatabase("no_answer")).isEqualTo(CallStatus.NO_ANSWER);
    }

    private static EnumSet<CallStatus> allowedFrom(CallStatus from) {
        var allowed = EnumSet.noneOf(CallStatus.class);
        for (var to : CallStatus.values()) {
            if (from.canTransitionTo(to)) {
                allowed.add(to);
            }
        }
        return allowed;
    }
}
