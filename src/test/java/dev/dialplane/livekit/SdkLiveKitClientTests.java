package dev.dialplane.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialplane.fakelivekit.FakeLiveKit;
import dev.dialplane.support.IdleClosingProxy;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SDK-based client against the fake LiveKit, a wrong secret, and nothing listening at all. */
class SdkLiveKitClientTests {

    private static FakeLiveKit liveKit;

    @BeforeAll
    static void start() {
        liveKit = FakeLiveKit.start();
    }

    @AfterAll
    static void stop() {
        liveKit.close();
    }

    @Test
    void unreachableLiveKitIsReportedAsUnavailable() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var client = client("http://127.0.0.1:" + closedPort, liveKit.apiSecret());

        // nothing could be sent, so nobody was called: the dispatcher may try the call again later
        assertThatThrownBy(() -> client.dial(request("room-unreachable"), () -> {}))
                .isInstanceOfSatisfying(LiveKitException.class, e -> {
                    assertThat(e.failure()).isEqualTo(DialFailure.LIVEKIT_UNAVAILABLE);
                    assertThat(e.nothingSent()).isTrue();
                    assertThat(e.getMessage()).startsWith("LiveKit is unreachable");
                });
        assertThatThrownBy(() -> client.createRoom("room-unreachable", "{}"))
                .isInstanceOfSatisfying(
                        LiveKitException.class,
                        e -> assertThat(e.failure()).isEqualTo(DialFailure.LIVEKIT_UNAVAILABLE));
    }

    @Test
    void aPacedDialPastItsLatestSendTimeIsNotWritten() {
        var client = client(liveKit.url(), liveKit.apiSecret());
        var dialsBefore = liveKit.requests("SIP", "CreateSIPParticipant").size();

        assertThatThrownBy(() -> client.dial(request("room-late", Instant.now().minusMillis(1)), () -> {}))
                .isInstanceOf(SendSlotMissed.class);
        assertThat(liveKit.requests("SIP", "CreateSIPParticipant"))
                .as("nothing reached LiveKit")
                .hasSize(dialsBefore);

        // in time, the same client sends it
        assertThat(client.dial(request("room-in-time", Instant.now().plusSeconds(30)), () -> {}))
                .isInstanceOf(DialResult.Answered.class);
        assertThat(liveKit.requests("SIP", "CreateSIPParticipant")).hasSize(dialsBefore + 1);
    }

    @Test
    void aDialOnAConnectionAProxyClosedWhileIdleIsSentOnceOnAFreshConnection() throws Exception {
        // the proxy drops idle connections after 300 ms, well before the client's own eviction
        // (30 s) and before OkHttp's own look at an idle connection (after 10 s idle)
        try (var proxy = IdleClosingProxy.start(liveKit.url(), Duration.ofMillis(300))) {
            var client = client(proxy.url(), liveKit.apiSecret(), Duration.ofSeconds(30));
            assertThat(client.dial(request("room-stale-1"), () -> {})).isInstanceOf(DialResult.Answered.class);
            assertThat(proxy.awaitClosedIdle(1, Duration.ofSeconds(10)))
                    .as("the proxy closed the idle connection")
                    .isTrue();
            var dialsBefore = liveKit.requests("SIP", "CreateSIPParticipant").size();

            var result = client.dial(request("room-stale-2"), () -> {});

            assertThat(result)
                    .as("the second dial, first written to the closed connection")
                    .isInstanceOf(DialResult.Answered.class);
            assertThat(liveKit.requests("SIP", "CreateSIPParticipant")).hasSize(dialsBefore + 1);
            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void idleConnectionsAreClosedByTheClientBeforeAProxyWould() throws Exception {
        // eviction (100 ms) below the proxy's idle timeout (5 s): the proxy never closes one
        try (var proxy = IdleClosingProxy.start(liveKit.url(), Duration.ofSeconds(5))) {
            var client = client(proxy.url(), liveKit.apiSecret(), Duration.ofMillis(100));
            assertThat(client.dial(request("room-evicted-1"), () -> {})).isInstanceOf(DialResult.Answered.class);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.idleConnections() == 0);

            assertThat(client.dial(request("room-evicted-2"), () -> {})).isInstanceOf(DialResult.Answered.class);

            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
            assertThat(proxy.awaitClosedIdle(1, Duration.ZERO)).isFalse();
        }
    }

    @Test
    void wrongSecretIsARejectionThatNamesNoSecret() {
        var client = client(liveKit.url(), "not-the-secret-" + "x".repeat(20));

        var result = client.dial(request("room-wrong-secret"), () -> {});

        assertThat(result).isInstanceOfSatisfying(DialResult.Failed.class, failed -> {
            assertThat(failed.failure()).isEqualTo(DialFailure.LIVEKIT_REJECTED);
            assertThat(failed.message()).doesNotContain("not-the-secret");
        });
        assertThatThrownBy(() -> client.createRoom("room-wrong-secret", "{}"))
                .isInstanceOfSatisfying(
                        LiveKitException.class, e -> assertThat(e.failure()).isEqualTo(DialFailure.LIVEKIT_REJECTED));
    }

    @Test
    void deletingAMissingRoomCountsAsDeleted() {
        client(liveKit.url(), liveKit.apiSecret()).deleteRoom("never-created-" + System.nanoTime());
        assertThat(liveKit.requests("RoomService", "DeleteRoom")).isNotEmpty();
    }

    @Test
    void webSocketUrlsAreUsedOverHttp() {
        assertThat(SdkLiveKitClient.httpUrl("wss://x.livekit.cloud")).isEqualTo("https://x.livekit.cloud/");
        assertThat(SdkLiveKitClient.httpUrl("ws://localhost:7880/")).isEqualTo("http://localhost:7880/");
        assertThat(SdkLiveKitClient.httpUrl("http://lk:7880")).isEqualTo("http://lk:7880/");
    }

    private static SdkLiveKitClient client(String url, String secret) {
        return client(url, secret, Duration.ofSeconds(30));
    }

    private static SdkLiveKitClient client(String url, String secret, Duration idleConnectionTimeout) {
        return new SdkLiveKitClient(
                new LiveKitProperties(
                        url,
                        liveKit.apiKey(),
                        secret,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2),
                        Duration.ZERO,
                        Duration.ofSeconds(5),
                        idleConnectionTimeout),
                Clock.systemUTC());
    }

    private static SipDialRequest request(String room) {
        return request(room, null);
    }

    private static SipDialRequest request(String room, @Nullable Instant sendBy) {
        return new SipDialRequest(
                room,
                "sip-test",
                "Callee",
                Map.of(),
                "+12025550123",
                "+12025550100",
                new SipDialRequest.InlineTrunk("sip.example.com", "udp", "u", "p", null),
                true,
                null,
                false,
                SipDialRequest.MediaEncryption.ALLOW,
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                false,
                null,
                Map.of(),
                sendBy);
    }
}
